"""The `chainkg` command line: verbs are the users' tasks; each lives in its own module.

Exit codes: 0 ok, 1 validation failed, 2 usage or input error (`chainkg.cli.common`).
"""

from __future__ import annotations

import sys

# Each verb's module registers it on `app` when imported.
from chainkg.cli import build as _build  # noqa: F401
from chainkg.cli import export as _export  # noqa: F401
from chainkg.cli import gaps as _gaps  # noqa: F401
from chainkg.cli import ingest as _ingest  # noqa: F401
from chainkg.cli import query as _query  # noqa: F401
from chainkg.cli import registry as _registry  # noqa: F401
from chainkg.cli import serve as _serve  # noqa: F401
from chainkg.cli import synth as _synth  # noqa: F401
from chainkg.cli import viz as _viz  # noqa: F401
from chainkg.cli.common import EXIT_OK, app


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `chainkg` script."""
    try:
        app(args=argv, prog_name="chainkg", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
