"""The collection's life in one library: withdrawal rounds (thanh lọc), the official registers
(sổ đăng ký tổng quát, cá biệt, sách giáo khoa; Circular 16/2022/TT-BGDĐT) and the yearly report.
Everything here is built from the records, their copies' intake and removal fields, the
stocktake snapshots and the exchange manifests, read through ``libsync.store``; the only files
it writes are through ``libsync.store.write`` (a withdrawal proposal and the copies it marks
withdrawn). Intake (``accession``) and donations live beside it (see docs/collection.md).
"""


def money(value: int) -> str:
    """An amount in đồng as Vietnamese documents write it: ``1.250.000``."""
    return f"{value:,}".replace(",", ".")
