"""The header of an official document (phần đầu văn bản) from network.yaml, never with blanks.

Nghị định 30/2020/NĐ-CP: the issuing body under its parent authority (cơ quan chủ quản) on the
left, and under the motto the place name (địa danh) with the date. ``letterhead(network, code)``
gives the issuer lines and the place for library ``code``, or refuses (``LibsyncError``, exit 1,
nothing written) naming the network.yaml field to fill:

* ``libraries[].authority`` — the authority line as printed (``PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU``,
  ``UBND PHƯỜNG XUÂN SƠN``); without it, ``PHÒNG GD&ĐT`` and the library's ``district``;
* ``libraries[].place`` — the place name of the date line (``Xuân Sơn``); without it, the
  library's ``commune`` (then ``district``, ``province``) without its prefix (Phường, Xã …).

``committee(network, code)``: the stocktake committee (``libraries[].stocktake_committee``),
refused when empty in the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError
from libsync.i18n import t

if TYPE_CHECKING:
    from libsync.network import Network

_PLACE_PREFIX = re.compile(r"^(phường|xã|thị trấn|thị xã|thành phố|huyện|quận|tỉnh)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Letterhead:
    issuer: list[str]   # authority line, then the library's name, in capitals
    place: str          # địa danh of the date line


def place_of(lib: dict[str, Any]) -> str:
    """The place name of the date line: ``place``, else the commune (district, province) without
    its administrative prefix; ``""`` when network.yaml says none of them."""
    if lib.get("place"):
        return str(lib["place"]).strip()
    for key in ("commune", "district", "province"):
        if lib.get(key):
            return _PLACE_PREFIX.sub("", str(lib[key])).strip()
    return ""


def _missing(document: str, code: str, field: str, what: str, example: str, lang: str | None) -> LibsyncError:
    return LibsyncError("rotation.doc.header_missing", exit_code=1, document=document, library=code,
                        field=f"libraries[{code}].{field}", what=t(what, lang), example=example)


def letterhead(network: Network, code: str, document: str, lang: str | None = None) -> Letterhead:
    """Issuer lines and place for library ``code``; ``document`` names the document in the refusal."""
    lib = network.library(code)
    authority = str(lib.get("authority") or "").strip()
    if not authority and lib.get("district"):
        authority = t("rotation.minutes.issuer_office", lang, district=str(lib["district"]).upper())
    if not authority:
        raise _missing(document, code, "authority", "rotation.doc.header.authority", "PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU", lang)
    place = place_of(lib)
    if not place:
        raise _missing(document, code, "place", "rotation.doc.header.place", "Xuân Sơn", lang)
    return Letterhead([authority.upper(), str(lib.get("name") or code).upper()], place)


def committee(network: Network, code: str, document: str, lang: str | None = None) -> list[dict[str, str]]:
    """The stocktake committee of library ``code`` (name, role), refused when network.yaml has none."""
    members = [m for m in network.library(code).get("stocktake_committee") or [] if m.get("name")]
    if not members:
        raise _missing(document, code, "stocktake_committee", "rotation.doc.header.committee",
                       "[{name: Nguyễn Văn Thành, role: Chủ tịch hội đồng}]", lang)
    return [{"name": str(m["name"]), "role": str(m.get("role") or "")} for m in members]
