"""Progress of long steps, reported through one plain callback.

Library code calls ``step(stage, done, total)`` as it goes (reading files, planning an import,
building the catalogue, writing the site, harvesting pages); it never draws anything. Whoever runs
it — the CLI on a terminal — installs a callback for the duration with ``reporting(callback)``;
without one, ``step`` does nothing. ``stage`` is a short stable name (``read``, ``import``,
``union``, ``site``, ``harvest``); ``total`` is None when it is not known yet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Callback = Callable[[str, int, "int | None"], None]

_current: ContextVar[Callback | None] = ContextVar("libsync_progress", default=None)


def step(stage: str, done: int, total: int | None = None) -> None:
    """``done`` of ``total`` items of ``stage`` are finished (tell whoever listens, if anyone)."""
    callback = _current.get()
    if callback is not None:
        callback(stage, done, total)


@contextmanager
def reporting(callback: Callback | None) -> Iterator[None]:
    """Send every ``step`` made inside the block to ``callback`` (None: to nobody)."""
    token = _current.set(callback)
    try:
        yield
    finally:
        _current.reset(token)
