"""Exchange manifests (phiếu luân chuyển): the names of ``libsync.rotation.queries`` (reading and
checks), ``libsync.rotation.lifecycle`` (one function per step) and ``libsync.rotation.workflow``
(commits, the branch of a proposal), gathered here so ``from libsync.rotation.exchanges import …``
keeps working."""

from __future__ import annotations

from libsync.rotation.lifecycle import (
    ACTIONS,
    STEPS,
    Outcome,
    advance,
    approve,
    cancel,
    close,
    create_from_plan,
    dispatch,
    new_manifest,
    propose,
    receive,
    return_copies,
)
from libsync.rotation.queries import (
    OUT_STATUSES,
    STATUSES,
    check_state,
    find,
    list_exchanges,
    load_copies,
    other_active,
    pending_losses,
    summary,
)
from libsync.rotation.workflow import commit_message

__all__ = [
    "ACTIONS", "OUT_STATUSES", "STATUSES", "STEPS", "Outcome", "advance", "approve", "cancel", "check_state", "close",
    "commit_message", "create_from_plan", "dispatch", "find", "list_exchanges", "load_copies", "new_manifest",
    "other_active", "pending_losses", "propose", "receive", "return_copies", "summary",
]
