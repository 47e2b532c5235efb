"""Classification schemes of Vietnamese school libraries: DDC and the 19-class table.

Owns two small tables and the lookups over them:

* **DDC** (Dewey Decimal Classification, ``classification.ddc``): the ten main classes, the
  hundred divisions, and a few sections school libraries use every day (Vietnamese literature,
  history, geography and language; computing; primary and secondary education). A DDC number
  is three digits with an optional decimal part (``510.712``, ``895.92234``).
* **Bảng phân loại 19 lớp** (``classification.bpl19``), the table Vietnamese school libraries
  use (derived from BBK): a class digit, then letters, digits or a parenthesised part —
  ``8V`` (Vietnamese literature), ``8V2``, ``8(N)`` (foreign literature), ``5A`` (mathematics).
  The top classes 0–9 and the subdivisions we are sure of are listed; a longer code is
  labelled by its longest known beginning (``8V23`` → ``8V``, ``5B`` → ``5``).

The labels are ours (not copied from a published table), short enough to serve as subject
headings, and written with the school textbooks' spelling ("Vật lí", "Địa lí", "Kĩ thuật").
``subject_from`` turns a record's classification into such a heading (``libsync enrich`` uses
it when nothing better exists); ``normalise_ddc``/``scheme_of`` let the importers put a value
in the right key (a register's "Môn loại" column often holds ``8V``, which is not a DDC number).

This module is plain data and functions: it never reads files and never prints.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DDC = "ddc"
BPL19 = "bpl19"
SCHEMES = (DDC, BPL19)

# The shape ``schema/record.schema.json`` requires of ``classification.ddc`` (kept equal: tested).
DDC_PATTERN = r"^[0-9]{3}(?:\.[0-9]+)?$"
_DDC = re.compile(DDC_PATTERN)
# segmentation marks (prime ', slash /) and spaces some catalogues put inside a DDC number
_DDC_MARKS = re.compile(r"[\s'’/]+")
# a 19-class code: the class digit, then letters, digits, dots or a parenthesised part
_BPL19 = re.compile(r"^[0-9](?:[0-9A-ZĐ.\-]|\([0-9A-ZĐ.=\-]*\))*$")

# MARC 084 $2 values that name the 19-class table (folded: no diacritics, no spaces or punctuation)
BPL19_SOURCE_NAMES = frozenset({"bpl19", "19lop", "khung19lop", "bang19lop", "bangphanloai19lop",
                                "khungphanloai19lop", "bpl", "19"})


@dataclass(frozen=True, slots=True)
class Label:
    """A class of a scheme: the code as listed, the label in Vietnamese and in English."""

    scheme: str
    code: str
    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else self.en


# --- DDC -------------------------------------------------------------------------------------

DDC_CLASSES: dict[str, tuple[str, str]] = {
    "000": ("Tin học, thông tin và tác phẩm tổng quát", "Computer science, information and general works"),
    "100": ("Triết học và tâm lí học", "Philosophy and psychology"),
    "200": ("Tôn giáo", "Religion"),
    "300": ("Khoa học xã hội", "Social sciences"),
    "400": ("Ngôn ngữ", "Language"),
    "500": ("Khoa học tự nhiên và toán học", "Natural sciences and mathematics"),
    "600": ("Công nghệ, khoa học ứng dụng", "Technology, applied sciences"),
    "700": ("Nghệ thuật, giải trí và thể thao", "Arts, recreation and sport"),
    "800": ("Văn học", "Literature"),
    "900": ("Lịch sử và địa lí", "History and geography"),
}

# The hundred divisions (040 is not used by DDC: a 04x number takes its class's label).
DDC_DIVISIONS: dict[str, tuple[str, str]] = {
    "000": ("Tin học, tri thức và hệ thống", "Computer science, knowledge and systems"),
    "010": ("Thư mục học", "Bibliographies"),
    "020": ("Thư viện học và thông tin học", "Library and information science"),
    "030": ("Bách khoa thư, sách tra cứu tổng hợp", "Encyclopedias and books of facts"),
    "050": ("Tạp chí, ấn phẩm định kì", "Magazines, journals and serials"),
    "060": ("Hội, tổ chức, bảo tàng", "Associations, organizations and museums"),
    "070": ("Báo chí, truyền thông, xuất bản", "News media, journalism and publishing"),
    "080": ("Tuyển tập tổng hợp, danh ngôn", "Quotations and general collections"),
    "090": ("Sách hiếm, bản thảo", "Manuscripts and rare books"),
    "100": ("Triết học", "Philosophy"),
    "110": ("Siêu hình học", "Metaphysics"),
    "120": ("Nhận thức luận", "Epistemology"),
    "130": ("Hiện tượng siêu linh, huyền bí", "Parapsychology and occultism"),
    "140": ("Các trường phái triết học", "Philosophical schools of thought"),
    "150": ("Tâm lí học", "Psychology"),
    "160": ("Lô gích học", "Logic"),
    "170": ("Đạo đức học", "Ethics"),
    "180": ("Triết học cổ đại, trung đại và phương Đông", "Ancient, medieval and eastern philosophy"),
    "190": ("Triết học phương Tây hiện đại", "Modern western philosophy"),
    "200": ("Tôn giáo", "Religion"),
    "210": ("Triết học và lí luận tôn giáo", "Philosophy and theory of religion"),
    "220": ("Kinh Thánh", "The Bible"),
    "230": ("Kitô giáo", "Christianity"),
    "240": ("Thực hành Kitô giáo", "Christian practice and observance"),
    "250": ("Mục vụ và dòng tu Kitô giáo", "Christian pastoral practice and religious orders"),
    "260": ("Tổ chức và nghi lễ Kitô giáo", "Christian organization, social work and worship"),
    "270": ("Lịch sử Kitô giáo", "History of Christianity"),
    "280": ("Các giáo phái Kitô giáo", "Christian denominations"),
    "290": ("Các tôn giáo khác", "Other religions"),
    "300": ("Xã hội học và nhân học", "Sociology and anthropology"),
    "310": ("Thống kê", "Statistics"),
    "320": ("Chính trị học", "Political science"),
    "330": ("Kinh tế học", "Economics"),
    "340": ("Pháp luật", "Law"),
    "350": ("Hành chính công và quân sự", "Public administration and military science"),
    "360": ("Vấn đề xã hội và dịch vụ xã hội", "Social problems and social services"),
    "370": ("Giáo dục", "Education"),
    "380": ("Thương mại, thông tin liên lạc, giao thông", "Commerce, communications and transportation"),
    "390": ("Phong tục, lễ nghi, văn hoá dân gian", "Customs, etiquette and folklore"),
    "400": ("Ngôn ngữ", "Language"),
    "410": ("Ngôn ngữ học", "Linguistics"),
    "420": ("Tiếng Anh", "English language"),
    "430": ("Tiếng Đức", "German language"),
    "440": ("Tiếng Pháp", "French language"),
    "450": ("Tiếng Italia, tiếng Rumani", "Italian and Romanian languages"),
    "460": ("Tiếng Tây Ban Nha, tiếng Bồ Đào Nha", "Spanish and Portuguese languages"),
    "470": ("Tiếng Latinh", "Latin language"),
    "480": ("Tiếng Hi Lạp", "Greek language"),
    "490": ("Các ngôn ngữ khác", "Other languages"),
    "500": ("Khoa học tự nhiên", "Natural sciences"),
    "510": ("Toán học", "Mathematics"),
    "520": ("Thiên văn học", "Astronomy"),
    "530": ("Vật lí", "Physics"),
    "540": ("Hoá học", "Chemistry"),
    "550": ("Khoa học Trái Đất, địa chất", "Earth sciences and geology"),
    "560": ("Cổ sinh vật học", "Fossils and prehistoric life"),
    "570": ("Sinh học", "Biology"),
    "580": ("Thực vật học", "Plants (botany)"),
    "590": ("Động vật học", "Animals (zoology)"),
    "600": ("Công nghệ", "Technology"),
    "610": ("Y học và sức khoẻ", "Medicine and health"),
    "620": ("Kĩ thuật", "Engineering"),
    "630": ("Nông nghiệp", "Agriculture"),
    "640": ("Kinh tế gia đình, nữ công", "Home and family management"),
    "650": ("Quản lí, kinh doanh", "Management and public relations"),
    "660": ("Công nghệ hoá học", "Chemical engineering"),
    "670": ("Công nghiệp chế tạo", "Manufacturing"),
    "680": ("Sản xuất sản phẩm chuyên dụng", "Manufacture for specific uses"),
    "690": ("Xây dựng", "Building and construction"),
    "700": ("Nghệ thuật", "Arts"),
    "710": ("Quy hoạch, kiến trúc cảnh quan", "Area planning and landscape architecture"),
    "720": ("Kiến trúc", "Architecture"),
    "730": ("Điêu khắc, gốm, kim loại", "Sculpture, ceramics and metalwork"),
    "740": ("Đồ hoạ, mĩ thuật trang trí", "Graphic and decorative arts"),
    "750": ("Hội hoạ", "Painting"),
    "760": ("Nghệ thuật in, tranh in", "Printmaking and prints"),
    "770": ("Nhiếp ảnh, điện ảnh, video", "Photography, film and video"),
    "780": ("Âm nhạc", "Music"),
    "790": ("Thể thao, trò chơi, giải trí", "Sports, games and entertainment"),
    "800": ("Văn học", "Literature"),
    "810": ("Văn học Mỹ", "American literature"),
    "820": ("Văn học Anh", "English literature"),
    "830": ("Văn học Đức", "German literature"),
    "840": ("Văn học Pháp", "French literature"),
    "850": ("Văn học Italia", "Italian literature"),
    "860": ("Văn học Tây Ban Nha, Bồ Đào Nha", "Spanish and Portuguese literature"),
    "870": ("Văn học Latinh", "Latin literature"),
    "880": ("Văn học Hi Lạp", "Greek literature"),
    "890": ("Văn học các nước khác", "Other literatures"),
    "900": ("Lịch sử", "History"),
    "910": ("Địa lí và du lịch", "Geography and travel"),
    "920": ("Tiểu sử, gia phả", "Biography and genealogy"),
    "930": ("Lịch sử thế giới cổ đại", "History of the ancient world"),
    "940": ("Lịch sử châu Âu", "History of Europe"),
    "950": ("Lịch sử châu Á", "History of Asia"),
    "960": ("Lịch sử châu Phi", "History of Africa"),
    "970": ("Lịch sử Bắc Mỹ", "History of North America"),
    "980": ("Lịch sử Nam Mỹ", "History of South America"),
    "990": ("Lịch sử các khu vực khác", "History of other areas"),
}

# Sections and subsections a school library meets every day (the longest listed beginning wins).
DDC_SECTIONS: dict[str, tuple[str, str]] = {
    "004": ("Tin học", "Computing"),
    "372": ("Giáo dục tiểu học", "Primary education"),
    "373": ("Giáo dục trung học", "Secondary education"),
    "495.922": ("Tiếng Việt", "Vietnamese language"),
    "895.922": ("Văn học Việt Nam", "Vietnamese literature"),
    "915.97": ("Địa lí Việt Nam", "Geography of Vietnam"),
    "959.7": ("Lịch sử Việt Nam", "History of Vietnam"),
}


# --- the 19-class table -------------------------------------------------------------------------

BPL19_CLASSES: dict[str, tuple[str, str]] = {
    "0": ("Tác phẩm kinh điển của chủ nghĩa Mác – Lênin", "Classic works of Marxism–Leninism"),
    "1": ("Triết học", "Philosophy"),
    "2": ("Tôn giáo", "Religion"),
    "3": ("Chủ nghĩa xã hội khoa học", "Scientific socialism"),
    "4": ("Khoa học xã hội", "Social sciences"),
    "5": ("Khoa học tự nhiên", "Natural sciences"),
    "6": ("Kĩ thuật", "Technology"),
    "7": ("Nghệ thuật", "Arts"),
    "8": ("Ngôn ngữ, văn học", "Language and literature"),
    "9": ("Lịch sử, địa lí", "History and geography"),
}
BPL19_SUBCLASSES: dict[str, tuple[str, str]] = {
    "5A": ("Toán học", "Mathematics"),
    "8V": ("Văn học Việt Nam", "Vietnamese literature"),
    "8(N)": ("Văn học nước ngoài", "Foreign literature"),
}


# --- parsing ------------------------------------------------------------------------------------

def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def normalise_ddc(value: object) -> str | None:
    """A DDC number as stored (``510.712``), or None if ``value`` is not one.

    Spaces and segmentation marks (``895.922'34``, ``895.9/22334``) go; a number typed into a
    spreadsheet (``4.0712`` from ``004.0712``, ``510`` as an integer) gets its leading zeros
    back. A string of fewer than three digits is not a DDC number (it may be a 19-class one)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        text = repr(value) if isinstance(value, float) else str(value)
        whole, _, frac = text.partition(".")
        if not whole.isdigit() or len(whole) > 3 or (frac and not frac.isdigit()):
            return None
        text = whole.zfill(3) + (f".{frac}" if frac and frac.strip("0") else "")
    else:
        text = _DDC_MARKS.sub("", _text(value))
    text = text.rstrip(".")
    return text if _DDC.match(text) else None


def is_ddc(value: object) -> bool:
    """Is ``value`` a DDC number exactly as the schema wants it?"""
    return isinstance(value, str) and _DDC.match(value) is not None


def normalise_bpl19(value: object) -> str | None:
    """A 19-class code as stored (upper case, no spaces: ``8V2``, ``8(N523)``), or None."""
    if isinstance(value, bool) or value is None:
        return None
    text = re.sub(r"\s+", "", _text(value)).upper()
    return text if text and _BPL19.match(text) else None


def looks_bpl19(value: object) -> bool:
    """A code that is a 19-class code and cannot be a DDC number: ``8V``, ``5A``, ``8(N)``, or
    a class number of one or two digits (``8``, ``37``)."""
    code = normalise_bpl19(value)
    if code is None or normalise_ddc(code) is not None:
        return False
    return not code.replace(".", "").isdigit() or len(code) <= 2


def scheme_of(value: object) -> tuple[str, str] | None:
    """For a value from a column or field that may hold either scheme ("Môn loại", "Phân loại",
    MARC 082 typed by hand): ``("ddc", number)``, ``("bpl19", code)`` or None (neither)."""
    ddc = normalise_ddc(value)
    if ddc is not None:
        return DDC, ddc
    if looks_bpl19(value):
        code = normalise_bpl19(value)
        if code is not None:
            return BPL19, code
    return None


def is_bpl19_source(name: object) -> bool:
    """Does a MARC 084 $2 (or a column heading) name the 19-class table?"""
    if not isinstance(name, str):
        return False
    from libsync.text import fold

    return fold(name).replace(" ", "") in BPL19_SOURCE_NAMES


# --- lookup -------------------------------------------------------------------------------------

def ddc_label(value: object) -> Label | None:
    """The most specific label listed for a DDC number: section, then division, then class."""
    number = normalise_ddc(value)
    if number is None:
        return None
    best = max((code for code in DDC_SECTIONS if number.startswith(code)), key=len, default=None)
    if best is not None:
        return Label(DDC, best, *DDC_SECTIONS[best])
    division = number[:2] + "0"
    if division in DDC_DIVISIONS:
        return Label(DDC, division, *DDC_DIVISIONS[division])
    main = number[0] + "00"
    return Label(DDC, main, *DDC_CLASSES[main])


def ddc_class(value: object) -> Label | None:
    """The main class (``500``) of a DDC number."""
    number = normalise_ddc(value)
    if number is None:
        return None
    main = number[0] + "00"
    return Label(DDC, main, *DDC_CLASSES[main])


def _subclass_prefix(code: str) -> str:
    """``8(N)`` covers every code beginning ``8(N``; ``8V`` every code beginning ``8V``."""
    return code[:-1] if code.endswith(")") else code


def bpl19_label(value: object) -> Label | None:
    """The most specific label listed for a 19-class code (its longest known beginning)."""
    code = normalise_bpl19(value)
    if code is None:
        return None
    best = max((sub for sub in BPL19_SUBCLASSES if code.startswith(_subclass_prefix(sub))), key=len, default=None)
    if best is not None:
        return Label(BPL19, best, *BPL19_SUBCLASSES[best])
    return Label(BPL19, code[0], *BPL19_CLASSES[code[0]])


def label(scheme: str, value: object) -> Label | None:
    """``ddc_label`` or ``bpl19_label`` by scheme name; None for another scheme or a bad code."""
    if scheme == DDC:
        return ddc_label(value)
    if scheme == BPL19:
        return bpl19_label(value)
    return None


def subject_from(classification: object) -> tuple[str, Label] | None:
    """A subject heading (Vietnamese) from a record's ``classification`` mapping — DDC first,
    then the 19-class table — with the scheme key it came from; None when neither says. A
    19-class number inside a class that is not listed here (``37``) gives none: its class's
    label may be far wider than the book."""
    if not isinstance(classification, dict):
        return None
    for scheme in SCHEMES:
        value = classification.get(scheme)
        found = label(scheme, value)
        if found is None:
            continue
        if scheme == BPL19 and found.code in BPL19_CLASSES and len(code := str(normalise_bpl19(value))) > 1 \
                and code[1].isdigit():
            continue   # "37": a number inside class 3 this table does not list; the class alone would mislead
        return scheme, found
    return None
