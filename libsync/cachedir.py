"""Where libsync keeps caches: outside the repository, so commands never dirty it.

``$LIBSYNC_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/libsync`` (``~/.cache/libsync``);
one sub-folder per repository, named by a hash of its absolute path.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_root() -> Path:
    explicit = os.environ.get("LIBSYNC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "libsync"


def repo_cache_dir(root: Path) -> Path:
    digest = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]
    return cache_root() / f"{Path(root).name}-{digest}"
