"""Worker processes that leave interruptions to the command that started them.

Ctrl-C reaches every process of the terminal's group and ``kill`` of a process group reaches
the workers too. A worker that reacted itself would print a traceback and die mid-task; instead
workers ignore Ctrl-C and end silently on SIGTERM, and the command (which holds the signals
while it writes, see ``libsync.atomic``) stops them and undoes its change. Every process pool of
libsync is made here.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

from libsync import atomic


def quiet_worker() -> None:
    """Initializer of every worker process: leave Ctrl-C to the command, end quietly on SIGTERM,
    and never outlive the command (a worker a pool forked after a signal reached the group would
    otherwise wait forever, holding the terminal's or a pipe's other end)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    _die_with_parent()


def _die_with_parent() -> None:
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:   # the command ended before this worker was ready
        os._exit(0)


@contextmanager
def executor(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A ``ProcessPoolExecutor`` whose workers leave interruptions to the parent. If the block
    ends with an exception (an interruption above all), the workers are stopped at once rather
    than waited for: a worker forked after a signal was sent to the group would otherwise
    outlive the command and keep its terminal (or pipe) open."""
    pool = ProcessPoolExecutor(workers, initializer=quiet_worker)
    try:
        yield pool
    except BrokenProcessPool as exc:
        # workers killed by a signal sent to the whole group: the command's own handler is about
        # to raise the interruption (or already did, where Python could not pass it on); report
        # that, not the broken pool
        time.sleep(0.2)
        signum = atomic.interruption()
        if signum is not None:
            raise atomic.Interrupted(signum) from exc
        raise
    except BaseException:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.terminate()
            except (OSError, AttributeError):
                pass
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def pool(workers: int) -> multiprocessing.pool.Pool:
    """A ``multiprocessing.Pool`` (fork where the system has it) with quiet workers."""
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    return context.Pool(workers, initializer=quiet_worker)


T = TypeVar("T")
R = TypeVar("R")
WORKERS = min(2, os.cpu_count() or 1)


def map_ordered(func: Callable[[T], R], items: list[T], min_items: int = 300, chunk: int | None = None) -> list[R]:
    """``[func(x) for x in items]``, on ``WORKERS`` processes when there are at least
    ``min_items`` (below that a pool costs more than it saves) and a pool can be had here."""
    if WORKERS >= 2 and len(items) >= min_items:
        size = chunk or max(50, len(items) // (WORKERS * 4))
        try:
            with executor(WORKERS) as pool:
                return list(pool.map(func, items, chunksize=size))
        except (OSError, BrokenProcessPool):
            pass
    return [func(x) for x in items]
