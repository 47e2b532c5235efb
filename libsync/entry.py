"""The ``libsync`` console script: Ctrl-C (or SIGTERM) while the command line is still being
loaded ends quietly — nothing was touched yet — instead of printing a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:   # answered before the command line is even loaded
        from libsync import __version__

        sys.stdout.write(f"libsync {__version__}\n")
        return
    try:
        from libsync import atomic

        atomic.catch_interruptions()
        from libsync.cli import main as run
    except KeyboardInterrupt as exc:
        sys.stderr.write("\n")
        raise SystemExit(128 + getattr(exc, "signum", 2)) from None
    except Exception:
        # Python wraps an interruption raised inside some machinery (a class body's __set_name__)
        loaded = sys.modules.get("libsync.atomic")
        signum = loaded.interruption() if loaded is not None else None
        if signum is not None:
            sys.stderr.write("\n")
            raise SystemExit(128 + signum) from None
        raise
    run()
