"""The union catalogue (mục lục liên hợp): merge, explain, search — per audience.

``build_union(repository, audience)`` is the contract with the web catalogue and every other
consumer (see docs/catalog.md): plain JSON-able data, byte-identical for the same input.
``open_union`` gives the same catalogue as a streaming ``Union`` (bounded memory, for large
networks). The work lives in ``union`` (building), ``merge`` (clustering), ``match`` (pairs),
``index`` and ``search`` (the search index).
"""

from __future__ import annotations

from libsync.catalog.union import (
    FORMAT_VERSION,
    Union,
    build_union,
    check_audience,
    explain,
    open_union,
    union_from_records,
)

__all__ = ["FORMAT_VERSION", "Union", "build_union", "check_audience", "explain", "open_union", "union_from_records"]
