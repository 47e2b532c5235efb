"""The ``libsync`` console script: Ctrl-C while the command line is still being loaded ends
quietly (exit 130, nothing was touched yet) instead of printing a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from libsync.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    run()
