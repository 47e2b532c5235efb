"""Validation of the network repository: JSON Schema plus the rules a schema cannot express.

``validate(root, paths=None, changed_since=None, use_cache=True)`` returns a ``Result``;
``report`` renders it as text, JSON or GitHub Actions annotations; ``check_bytes`` checks
one document's bytes in memory (used by import before anything is written).
"""

from libsync.validation.engine import Result, check_bytes, validate

__all__ = ["Result", "check_bytes", "validate"]
