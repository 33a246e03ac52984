"""The `scorer` script and `python -m scorer`: the command line, Ctrl-C handled from its first moment.

Importing the command line takes a second (typer, rich, then a command's rules and models); a Ctrl-C
in that time ended in a traceback from inside an import, or in typer's bare exit 130. Until a
command starts (`cli._command_starts` then hands Ctrl-C back to Python, and `batch` to its own
handler), one line and exit 130.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType


def _interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    batch = sys.argv[1:2] == ["batch"]
    sys.stderr.write(("interrupted before any row was scored; nothing to resume" if batch
                      else "interrupted") + "\n")
    sys.stderr.flush()
    os._exit(130)  # nothing is written yet; unwinding an import half-way helps nobody


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    from scorer.cli import app

    app()


if __name__ == "__main__":
    main()
