"""Catalogue interchange: MARC21 (ISO 2709, MARCXML) and spreadsheets (CSV, XLSX) in and out.

* ``marc`` — reading MARC with encoding detection and broken-record reports, the mapping
  MARC ↔ record (docs/marc-mapping.md), writing MARC within the ISO 2709 size limits;
* ``tables`` — reading CSV/XLSX registers in any of the four Vietnamese encodings,
  recognising their column headings, writing them back;
* ``importer`` — matching incoming titles against a library's records, the plan
  (created / updated / unchanged / skipped / rejected) and its all-or-nothing application;
* ``exporter`` — the network's records, filtered by audience, in every format.

Everything here takes and returns plain data; ``libsync.cli.imports`` and
``libsync.cli.export`` only parse arguments and render.
"""

from libsync.interchange.model import Incoming, ReadResult

__all__ = ["Incoming", "ReadResult"]
