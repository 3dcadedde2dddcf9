"""What every `chainkg` verb shares: the Typer app the verbs register on, and the mapping of
the library's errors to messages and exit codes (0 ok, 1 validation failed, 2 usage or input
error). The verbs import this module; `chainkg.cli` imports the verbs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import typer
from rich.console import Console

from chainkg.errors import ResourceMissing, SeedError, ValidationFailed

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
        except ResourceMissing as exc:
            err.print("[bold red]Installation error:[/] ", end="")
            err.print(str(exc), markup=False, highlight=False)
            raise typer.Exit(EXIT_INPUT) from exc
        except (KeyError, ValueError) as exc:
            err.print("[bold red]Error:[/] ", end="")
            err.print(str(exc.args[0] if exc.args else exc), markup=False, highlight=False)
            raise typer.Exit(EXIT_INPUT) from exc

    return wrapper
