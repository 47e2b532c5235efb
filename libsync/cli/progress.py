"""Progress bars on the terminal for the steps that take a while (the one renderer of
``libsync.progress`` reports).

Shown on stderr only when stderr is a terminal and the command prints text (never in a pipe,
never with ``--format json``), and only once a step has run for ``DELAY`` seconds, so a quick
command draws nothing. The bars disappear when the command ends; the summary stays."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console

from libsync import progress
from libsync.i18n import t

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY = 1.0
"""Seconds a command runs before its progress is drawn."""


@contextmanager
def bars(enabled: bool = True) -> Iterator[None]:
    """Draw the progress the library reports inside the block (see the module's docstring)."""
    err = Console(stderr=True, highlight=False, markup=False)
    if not enabled or not err.is_terminal:
        yield
        return
    # rich's progress module (about 8 ms of imports) only where bars can be drawn
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    shown: Progress | None = None
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int | None) -> None:
        nonlocal shown
        if shown is None:
            if time.monotonic() - started < DELAY:
                return
            shown = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=err, transient=True)
            shown.start()
        if stage not in tasks:
            tasks[stage] = shown.add_task(t(f"progress.{stage}"), total=total)
        shown.update(tasks[stage], completed=done, total=total)

    try:
        with progress.reporting(report):
            yield
    finally:
        if shown is not None:
            shown.stop()
