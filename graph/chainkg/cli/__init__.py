"""The `chainkg` command line: verbs are the users' tasks; each lives in its own module.

Exit codes: 0 ok, 1 validation failed, 2 usage or input error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import typer
from rich.console import Console

from chainkg.errors import SeedError, ValidationFailed

EXIT_OK, EXIT_INVALID, EXIT_INPUT = 0, 1, 2

app = typer.Typer(
    name="chainkg",
    help="Knowledge graph of enterprises and industrial chains: build, query, find gaps, view.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors into messages and documented exit codes."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SeedError as exc:
            err.print(
                f"[bold red]Input error[/] ({len(exc.problems)} problem(s)); nothing was written:",
                highlight=False,
            )
            for problem in exc.problems:
                err.print(f"  - {problem}", markup=False, highlight=False)
            raise typer.Exit(EXIT_INPUT) from exc
        except ValidationFailed as exc:
            err.print("[bold red]SHACL validation failed[/]; nothing was written:")
            err.print(exc.report_text, markup=False, highlight=False)
            raise typer.Exit(EXIT_INVALID) from exc
        except (KeyError, ValueError) as exc:
            err.print("[bold red]Error:[/] ", end="")
            err.print(str(exc.args[0] if exc.args else exc), markup=False, highlight=False)
            raise typer.Exit(EXIT_INPUT) from exc

    return wrapper


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `chainkg` script."""
    try:
        app(args=argv, prog_name="chainkg", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return EXIT_OK


# Command modules register themselves on `app` when imported.
from chainkg.cli import build as _build  # noqa: E402,F401
from chainkg.cli import export as _export  # noqa: E402,F401
from chainkg.cli import gaps as _gaps  # noqa: E402,F401
from chainkg.cli import query as _query  # noqa: E402,F401
from chainkg.cli import registry as _registry  # noqa: E402,F401
from chainkg.cli import serve as _serve  # noqa: E402,F401
from chainkg.cli import synth as _synth  # noqa: E402,F401
from chainkg.cli import viz as _viz  # noqa: E402,F401

if __name__ == "__main__":
    sys.exit(main())
