"""A small model of an official Vietnamese document, rendered to .docx, .md and .html.

Used for the handover minutes of an exchange (biên bản bàn giao) and the inventory
minutes (biên bản kiểm kê). The layout follows the usual administrative form (Nghị định
30/2020/NĐ-CP): issuer on the left, Quốc hiệu and Tiêu ngữ on the right, the number under
the issuer, the place-and-date line under the motto, a centred title, the body, then the
signature blocks.

API (plain data in, bytes/text out)::

    from libsync.render.document import Document, Paragraph, Table, Signature, write

    doc = Document(
        issuer=["PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU", "TRƯỜNG THCS XUÂN SƠN"],
        number="Số: 01/BB-LC",                  # optional, printed as given
        place="Xuân Sơn", date=datetime.date(2024, 10, 7),
        title="BIÊN BẢN BÀN GIAO TÀI LIỆU LUÂN CHUYỂN",
        subtitle="Học kỳ I năm học 2024–2025",  # optional, under the title
        body=[
            Paragraph("Hôm nay, ... chúng tôi gồm:"),
            Paragraph("Trường THCS Xuân Sơn", lead="Bên giao:"),   # lead-in in bold
            Paragraph("I. DANH MỤC TÀI LIỆU", style="heading"),
            Table(header=["STT", "Số ĐKCB", ...], rows=[[...], ...],
                  totals=["", "Tổng cộng", ...], align=["center", "left", ...],
                  widths=None),   # docx: None = by content (see column_widths), else relative
        ],
        signatures=[[Signature("BÊN GIAO", name="Phạm Thị Thu Hà"), Signature("BÊN NHẬN", ...)],
                    [Signature("HIỆU TRƯỞNG", name="Nguyễn Văn Thành")]],  # rows of blocks
        lang="vi",                              # labels of the header; None = current language
    )
    # footnote="Phiếu luân chuyển xs-hd-…": a file reference, in the page footer of the .docx
    write(doc, "bien-ban.docx")   # by extension: .docx, .md, .html/.htm; atomic write
    to_docx(doc) -> bytes;  to_markdown(doc) -> str;  to_html(doc) -> str

The Quốc hiệu, Tiêu ngữ, date line and the signature note "(Ký, ghi rõ họ tên)" come
from the message catalogue (keys ``rotation.doc.*``), so an English rendering exists.
Every piece of text is escaped in HTML and Markdown; nothing is interpreted as markup.
A character XML cannot carry (a control character that slipped into the data) is shown as
U+FFFD (�) in the .docx, which could not be written with it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.atomic import write_atomic
from libsync.errors import LibsyncError
from libsync.i18n import get_language, t
from libsync.text.xmlchars import visible

if TYPE_CHECKING:   # python-docx is imported only when a .docx is written
    from docx.document import Document as DocxDocument
    from docx.shared import Length
    from docx.table import Table as DocxTable
    from docx.table import _Row as DocxRow
    from docx.text.paragraph import Paragraph as DocxParagraph

    AddParagraph = Callable[..., DocxParagraph]

NB_HYPHEN = "\u2011"   # a hyphen no line breaks at: an id, a file path (``nobreak``)
FORMATS = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
ALIGNS = ("left", "center", "right", "justify")


@dataclass
class Paragraph:
    """A body paragraph; ``lead`` is a bold lead-in (``"Bên giao:"``).

    ``style``: ``normal`` (justified), ``heading`` (bold section heading), ``center``
    (centred), ``note`` (italic, smaller).
    """

    text: str
    lead: str | None = None
    style: str = "normal"


@dataclass
class Table:
    """A table with a bold header row, body rows and an optional bold totals row.

    ``align`` gives one of left/center/right per column. In the .docx the columns are as wide as
    their content needs (``column_widths``: STT narrow, the title widest, a barcode never
    broken) unless ``widths`` gives them (relative, scaled to the text width); the header row
    repeats on every page and no row splits across two pages.
    """

    header: list[str]
    rows: list[list[str]]
    totals: list[str] | None = None
    align: list[str] | None = None
    widths: list[float] | None = None
    wide: int | None = None   # the column that takes the room left (the title); None: the one with most text

    def column_align(self, i: int) -> str:
        if self.align and i < len(self.align) and self.align[i] in ALIGNS:
            return self.align[i]
        return "left"


@dataclass
class Signature:
    """One signature block: role in capitals (``BÊN GIAO``), the note, then the name."""

    role: str
    name: str = ""
    position: str = ""
    note: str | None = None  # default: "(Ký, ghi rõ họ tên)" from the catalogue


@dataclass
class Document:
    title: str
    issuer: list[str] = field(default_factory=list)
    number: str | None = None
    place: str | None = None
    date: dt.date | None = None
    subtitle: str | None = None
    body: list[Paragraph | Table] = field(default_factory=list)
    signatures: list[list[Signature]] = field(default_factory=list)
    lang: str | None = None
    footnote: str | None = None   # a reference for the files (an exchange id): page footer, not body


    # --- labels ---------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.lang or get_language()

    def national_title(self) -> str:
        return t("rotation.doc.national_title", self.language)

    def motto(self) -> str:
        return t("rotation.doc.motto", self.language)

    def date_line(self) -> str:
        return date_line(self.place, self.date, self.language)

    def signature_note(self, sig: Signature) -> str:
        return sig.note if sig.note is not None else t("rotation.doc.sign_note", self.language)


def nobreak(text: str) -> str:
    """``text`` (an exchange id, a file path) never broken at its hyphens when printed: they
    become non-breaking hyphens (``w:noBreakHyphen`` in the .docx, a ``-`` that does not wrap in
    HTML, a plain ``-`` in Markdown), so ``xs-nd-2024-10-tk-ngu-van-6-7`` is not printed
    ``xs-nd-2024-10-tk-`` / ``ngu-van-6-7``."""
    return text.replace("-", NB_HYPHEN)


def _day_month(date: dt.date) -> tuple[str, str]:
    """Day with a leading zero below 10; months 1 and 2 written 01, 02 (Nghị định 30/2020)."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return day, month


def short_date(date: dt.date | str | None) -> str:
    """``07/10/2024``: the one date format of a document's body and tables (the header line
    alone has the long form of ``date_line``); ``""`` without a date; text not a date as given."""
    day = date
    if isinstance(date, str):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            return date
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if isinstance(day, dt.date) else ""


def date_line(place: str | None, date: dt.date | None, lang: str | None = None) -> str:
    """``"Xuân Sơn, ngày 07 tháng 10 năm 2024"`` (or the English form); ``""`` without a date."""
    lang = lang or get_language()
    if date is None:
        return place or ""
    day, month = _day_month(date)
    return t(
        "rotation.doc.date_line", lang,
        place=place or "", day=day, month=month, year=date.year,
        day_num=date.day, month_name=date.strftime("%B"),
    ).lstrip(", ")


# --- Markdown ---------------------------------------------------------------------------------
_MD_SPECIAL = "\\`*_[]<>|~"
_MD_LINE_START = re.compile(r"^(#|[-+=]|\d+[.)])")


def md_escape(text: str) -> str:
    """Escape Markdown punctuation so the text is shown literally (newlines become spaces)."""
    text = " ".join(str(text).split())
    text = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)
    return _MD_LINE_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text)


def to_markdown(doc: Document) -> str:
    out: list[str] = []
    for line in doc.issuer:
        out.append(f"**{md_escape(line)}**  ")
    if doc.number:
        out.append(md_escape(doc.number) + "  ")
    if out:
        out[-1] = out[-1].rstrip()
        out.append("")
    out.append(f"**{md_escape(doc.national_title())}**  ")
    out.append(f"**{md_escape(doc.motto())}**")
    out.append("")
    if doc.date_line():
        out.append(f"*{md_escape(doc.date_line())}*")
        out.append("")
    out.append(f"# {md_escape(doc.title)}")
    out.append("")
    if doc.subtitle:
        out.append(f"**{md_escape(doc.subtitle)}**")
        out.append("")
    for block in doc.body:
        if isinstance(block, Table):
            out.extend(_md_table(block))
        elif block.style == "heading":
            lead = f"{md_escape(block.lead)} " if block.lead else ""
            out.append(f"## {lead}{md_escape(block.text)}")
        else:
            text = md_escape(block.text)
            if block.lead:
                text = f"**{md_escape(block.lead)}** {text}"
            if block.style == "note":
                text = f"*{text}*"
            out.append(text)
        out.append("")
    for row in doc.signatures:
        cells = []
        for sig in row:
            parts = [f"**{md_escape(sig.role)}**", f"*{md_escape(doc.signature_note(sig))}*"]
            if sig.position:
                parts.append(md_escape(sig.position))
            parts.append("<br><br><br>")
            if sig.name:
                parts.append(f"**{md_escape(sig.name)}**")
            cells.append("<br>".join(parts))
        out.append("| " + " | ".join(cells) + " |")
        out.append("|" + "|".join(":---:" for _ in cells) + "|")
        out.append("")
    if doc.footnote:
        out.extend(["---", "", f"*{md_escape(doc.footnote)}*", ""])
    return ("\n".join(out).rstrip() + "\n").replace(NB_HYPHEN, "-")


def _md_table(table: Table) -> list[str]:
    marks = {"left": ":---", "center": ":---:", "right": "---:", "justify": ":---"}
    lines = ["| " + " | ".join(md_escape(h) for h in table.header) + " |"]
    lines.append("|" + "|".join(marks[table.column_align(i)] for i in range(len(table.header))) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(md_escape(c) for c in row) + " |")
    if table.totals:
        lines.append("| " + " | ".join(f"**{md_escape(c)}**" if c else "" for c in table.totals) + " |")
    return lines


# --- HTML -------------------------------------------------------------------------------------
_CSS = """
body { font-family: "Times New Roman", Times, serif; font-size: 13pt; line-height: 1.4;
       max-width: 17cm; margin: 1.5cm auto; color: #000; background: #fff; }
.head { display: flex; justify-content: space-between; align-items: flex-start; gap: 1em; }
.head > div { text-align: center; }
.issuer p, .nation p { margin: 0; }
.issuer p.org:last-of-type, .issuer p.last { font-weight: bold; }
.nation .nt { font-weight: bold; }
.nation .motto { font-weight: bold; display: inline-block; border-bottom: 1px solid #000; padding-bottom: 2px; }
.number { margin-top: .4em !important; white-space: pre-wrap; font-weight: normal; }
.dateline { font-style: italic; text-align: right; margin: .6em 0 1.2em; }
h1 { text-align: center; font-size: 14pt; margin: .8em 0 .2em; }
.subtitle { text-align: center; font-weight: bold; margin: 0 0 1em; }
p.normal { text-align: justify; margin: .3em 0; }
p.heading { font-weight: bold; margin: .8em 0 .3em; }
p.center { text-align: center; }
p.note { font-style: italic; font-size: 12pt; }
table.data { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: 12pt; }
table.data th, table.data td { border: 1px solid #000; padding: 3px 5px; vertical-align: top; }
table.data th { font-weight: bold; text-align: center; }
table.data tr.totals td { font-weight: bold; }
.signs { display: flex; justify-content: space-around; margin-top: 1.2em; text-align: center; }
.signs > div { flex: 1; }
.signs .role { font-weight: bold; margin: 0; }
.signs .note { font-style: italic; margin: 0; }
.signs .pos { margin: 0; }
.signs .name { font-weight: bold; margin-top: 4em; }
.footnote { margin-top: 2em; border-top: 1px solid #000; padding-top: .3em; font-size: 10pt; font-style: italic; }
table.data td.nowrap, span.nowrap { white-space: nowrap; }
@media print { body { margin: 0 auto; } }
"""


def to_html(doc: Document) -> str:
    e = html.escape
    lang = "vi" if doc.language == "vi" else "en"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(doc.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<div class="head">',
        '<div class="issuer">',
    ]
    out.extend(f'<p class="{"org last" if i == len(doc.issuer) - 1 else "org"}">{e(line)}</p>'
               for i, line in enumerate(doc.issuer))
    if doc.number:
        out.append(f'<p class="number">{e(doc.number)}</p>')
    out.append("</div>")
    out.append('<div class="nation">')
    out.append(f'<p class="nt">{e(doc.national_title())}</p>')
    out.append(f'<p><span class="motto">{e(doc.motto())}</span></p>')
    out.append("</div>")
    out.append("</div>")
    if doc.date_line():
        out.append(f'<p class="dateline">{e(doc.date_line())}</p>')
    out.append(f"<h1>{e(doc.title)}</h1>")
    if doc.subtitle:
        out.append(f'<p class="subtitle">{e(doc.subtitle)}</p>')
    for block in doc.body:
        if isinstance(block, Table):
            out.extend(_html_table(block))
        else:
            style = block.style if block.style in ("normal", "heading", "center", "note") else "normal"
            lead = f"<strong>{e(block.lead)}</strong> " if block.lead else ""
            out.append(f'<p class="{style}">{lead}{e(block.text)}</p>')
    for row in doc.signatures:
        out.append('<div class="signs">')
        for sig in row:
            out.append("<div>")
            out.append(f'<p class="role">{e(sig.role)}</p>')
            out.append(f'<p class="note">{e(doc.signature_note(sig))}</p>')
            if sig.position:
                out.append(f'<p class="pos">{e(sig.position)}</p>')
            out.append(f'<p class="name">{e(sig.name) if sig.name else "&nbsp;"}</p>')
            out.append("</div>")
        out.append("</div>")
    if doc.footnote:
        out.append(f'<footer class="footnote">{e(doc.footnote)}</footer>')
    out.append("</body>")
    out.append("</html>")
    return _NB_WORD.sub(lambda m: f'<span class="nowrap">{m.group(0).replace(NB_HYPHEN, "-")}</span>',
                        "\n".join(out) + "\n")


_NB_WORD = re.compile(f"[^\\s<>]*{NB_HYPHEN}[^\\s<>]*")


def _html_table(table: Table) -> list[str]:
    e = html.escape
    out = ['<table class="data">', "<thead><tr>"]
    out.extend(f"<th>{e(h)}</th>" for h in table.header)
    out.append("</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        cells = "".join(
            f'<td style="text-align:{table.column_align(i)}">{e(str(c))}</td>' for i, c in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    if table.totals:
        cells = "".join(
            f'<td style="text-align:{table.column_align(i)}">{e(str(c))}</td>' for i, c in enumerate(table.totals)
        )
        out.append(f'<tr class="totals">{cells}</tr>')
    out.append("</tbody>")
    out.append("</table>")
    return out


# --- DOCX -------------------------------------------------------------------------------------
def to_docx(doc: Document) -> bytes:
    """The document as .docx bytes (A4, Times New Roman 13 pt, margins of Nghị định 30)."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    align_map = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(RIGHT_MARGIN_CM)
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")
    normal.paragraph_format.space_after = Pt(3)

    def para(container: DocxDocument | DocxParagraph, text: str = "", bold: bool = False, italic: bool = False,
             align: str = "left", size: float | None = None, underline: bool = False) -> DocxParagraph:
        p = container.add_paragraph() if hasattr(container, "add_paragraph") else container
        p.alignment = align_map[align]
        p.paragraph_format.space_after = Pt(2)
        if text:
            run = p.add_run(visible(text))
            run.bold, run.italic, run.underline = bold, italic, underline
            if size:
                run.font.size = Pt(size)
        return p

    # header: issuer | nation
    head = d.add_table(rows=1, cols=2)  # default table style: no borders
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    fix_widths(head, [6.5, TEXT_WIDTH_CM - 6.5])
    left, right = head.rows[0].cells
    first = True
    for i, line in enumerate(doc.issuer):
        target = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        para(target, line, bold=(i == len(doc.issuer) - 1), align="center", size=12)
    if doc.number:
        target = left.paragraphs[0] if first else left.add_paragraph()
        para(target, doc.number, align="center", size=13)
    para(right.paragraphs[0], doc.national_title(), bold=True, align="center", size=12)
    para(right.add_paragraph(), doc.motto(), bold=True, align="center", size=13, underline=True)
    if doc.date_line():
        para(d, doc.date_line(), italic=True, align="right")
    title = para(d, doc.title, bold=True, align="center", size=14)
    title.paragraph_format.space_before = Pt(12)
    if doc.subtitle:
        para(d, doc.subtitle, bold=True, align="center")
    for block in doc.body:
        if isinstance(block, Table):
            _docx_table(d, block, para, Cm)
            continue
        if block.style == "heading":
            p = para(d, (block.lead + " " if block.lead else "") + block.text, bold=True, align="left")
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.keep_with_next = True   # never alone at the foot of a page
        elif block.style == "center":
            para(d, block.text, align="center")
        elif block.style == "note":
            para(d, block.text, italic=True, align="justify", size=12)
        else:
            p = para(d, "", align="justify")
            if block.lead:
                p.add_run(visible(block.lead + " ")).bold = True
            p.add_run(visible(block.text))
    if doc.signatures and doc.body and isinstance(doc.body[-1], Paragraph):
        # the closing sentence goes with the signatures: they never stand alone on a page
        d.paragraphs[-1].paragraph_format.keep_with_next = True
    _docx_signatures(d, doc, para)
    if doc.footnote:
        para(section.footer.paragraphs[0], doc.footnote, italic=True, align="left", size=10)
    _no_break_hyphens(d.element.body)
    _no_break_hyphens(section.footer._element)
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def _no_break_hyphens(root: Any) -> None:
    """Each ``NB_HYPHEN`` of the text as a ``w:noBreakHyphen`` (Word's and LibreOffice's own
    non-breaking hyphen, printed as ``-`` in any font and read back as ``-``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for text_el in list(root.iter(qn("w:t"))):
        text = text_el.text or ""
        if NB_HYPHEN not in text:
            continue
        first, *rest = text.split(NB_HYPHEN)
        text_el.text = first
        text_el.set(qn("xml:space"), "preserve")
        anchor = text_el
        for part in rest:
            hyphen = OxmlElement("w:noBreakHyphen")
            anchor.addnext(hyphen)
            anchor = hyphen
            if part:
                piece = OxmlElement("w:t")
                piece.text = part
                piece.set(qn("xml:space"), "preserve")
                anchor.addnext(piece)
                anchor = piece


def _docx_signatures(d: DocxDocument, doc: Document, para: AddParagraph) -> None:
    """The signature blocks as one borderless table, a row per line of blocks: a row never splits
    across pages (the names stay under their roles) and every row keeps with the next, so the
    blocks stay together, with the paragraph before them."""
    rows = [row for row in doc.signatures if row]
    if not rows:
        return
    d.add_paragraph().paragraph_format.keep_with_next = True
    ncols = max(len(row) for row in rows)
    table = d.add_table(rows=len(rows), cols=ncols)
    fix_widths(table, [TEXT_WIDTH_CM / ncols] * ncols)
    for r, row in enumerate(rows):
        cant_split(table.rows[r])
        cells = table.rows[r].cells
        if len(row) < ncols:   # fewer blocks on this line: each takes an equal share of the width
            span = ncols // len(row)
            cells = [cells[i * span].merge(cells[min((i + 1) * span, ncols) - 1]) if span > 1 else cells[i * span]
                     for i in range(len(row))]
        for cell, sig in zip(cells, row):
            para(cell.paragraphs[0], sig.role, bold=True, align="center")
            para(cell.add_paragraph(), doc.signature_note(sig), italic=True, align="center", size=12)
            if sig.position:
                para(cell.add_paragraph(), sig.position, align="center", size=12)
            for _ in range(3):
                cell.add_paragraph()
            para(cell.add_paragraph(), sig.name, bold=True, align="center")
            if r < len(rows) - 1:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


# --- table layout -----------------------------------------------------------------------------
RIGHT_MARGIN_CM = 1.5     # Nghị định 30/2020: 3–3.5 cm left, 1.5–2 cm right; A4 portrait (the schools' norm)
TEXT_WIDTH_CM = 21.0 - 3.0 - RIGHT_MARGIN_CM   # 16.5 cm: the room the tables share
_CELL_PADDING_CM = 0.5     # the cell's left and right margins (0.19 cm each) and a little air
_MAX_UNBROKEN_CM = 4.5     # a word longer than this may wrap (an id in a note); a barcode never is
_PT_CM = 2.54 / 72


def _char_em(ch: str) -> float:
    """A width of one character of Times New Roman, in em, on the generous side (bold capitals
    average 0.70, digits are 0.5, regular small letters about 0.45): a barcode measured with it
    and the cell padding is never broken, without columns much wider than their text."""
    if ch.isspace():
        return 0.27
    if ch.isdigit():
        return 0.5
    if ch.isupper():
        return 0.72
    if ch.isalpha():
        return 0.5
    return 0.38


def text_width_cm(text: str, size_pt: float = 12) -> float:
    """About how wide ``text`` is printed on one line at ``size_pt`` (no wrapping)."""
    return sum(_char_em(ch) for ch in text) * size_pt * _PT_CM


def lines_needed(text: str, width_cm: float, size_pt: float = 12) -> int:
    """How many lines ``text`` takes in a cell ``width_cm`` wide (words wrapped whole; a word
    wider than the cell is broken over as many lines as it needs)."""
    room = max(width_cm - _CELL_PADDING_CM, 0.1)
    space = text_width_cm(" ", size_pt)
    lines, used = 1, 0.0
    for word in text.split():
        width = text_width_cm(word, size_pt)
        if used and used + space + width <= room:
            used += space + width
            continue
        if used:
            lines += 1
        extra = int(width // room) if width > room else 0   # a word broken over lines
        lines += extra
        used = width - extra * room
    return lines


_STEP_CM = 0.1         # the widths are shared out in steps this wide
_SAMPLE_ROWS = 300     # a long register: the room is shared by this many of its distinct rows
_WIDE_COST = 0.5       # each line of the wide column (the title) counts this much more
_NORM = 6              # a row's height: the 6-norm of its cells' line counts, about the tallest


def column_widths(header: list[str], rows: list[list[str]], total_cm: float = TEXT_WIDTH_CM,
                  size_pt: float = 12, wide: int | None = None) -> list[float]:
    """Widths (cm) that follow the content and fill ``total_cm``: each column at least as wide as
    its longest word (so a barcode such as XS-TN-00002 is never broken, nor a number or a
    heading word); the room left is given, a step at a time, to the column whose widening
    makes the table shortest — the sum of the rows' heights, a row as tall as its tallest cell
    — so the title and the author get the room and STT, barcodes and quantities stay at their
    words' width. Room nothing needs goes to the ``wide`` column (the title; by default the one
    with most text)."""
    ncols = len(header)
    if not ncols:
        return []
    grid = [[str(line[i]) if i < len(line) else "" for i in range(ncols)] for line in [header, *rows]]
    minimum, volume = [0.0] * ncols, [0.0] * ncols
    for line in grid:
        for i, text in enumerate(line):
            longest = max(text_width_cm(w, size_pt) for w in text.split() or [""])
            minimum[i] = max(minimum[i], min(longest, _MAX_UNBROKEN_CM))
            volume[i] += text_width_cm(text, size_pt)
    minimum = [m + _CELL_PADDING_CM for m in minimum]
    if wide is None or not 0 <= wide < ncols:
        wide = max(range(ncols), key=lambda i: volume[i])
    if sum(minimum) >= total_cm:   # even the longest words do not fit: shrink them alike
        return [m * total_cm / sum(minimum) for m in minimum]

    weights: dict[tuple[str, ...], int] = {}
    for line in grid:
        weights[tuple(line)] = weights.get(tuple(line), 0) + 1
    distinct = list(weights)
    if len(distinct) > _SAMPLE_ROWS:   # evenly spread, each standing for its share of the rows
        stride = len(distinct) / _SAMPLE_ROWS
        distinct = [distinct[int(k * stride)] for k in range(_SAMPLE_ROWS)]
    weight = [float(weights[line]) for line in distinct]
    memo: dict[tuple[str, int], int] = {}

    def lines(text: str, steps: int) -> int:
        key = (text, steps)
        if key not in memo:
            memo[key] = lines_needed(text, steps * _STEP_CM, size_pt)
        return memo[key]

    steps = [int(m / _STEP_CM + 0.999) for m in minimum]
    spare = int((total_cm - sum(s * _STEP_CM for s in steps)) / _STEP_CM + 1e-9)

    def height(cells: list[int]) -> float:
        """A row is as tall as its tallest cell; measured as a norm close to the maximum, so
        that a cell as tall as another one still counts when it gets shorter alone. A line more
        of the title (what is read first) costs half a line more."""
        norm: float = float(sum(n ** _NORM for n in cells)) ** (1 / _NORM)
        return norm + _WIDE_COST * cells[wide]

    # the steps from which a cell surely takes one line: no column is widened beyond its longest
    one_line = [[int((text_width_cm(text, size_pt) + _CELL_PADDING_CM) / _STEP_CM) + 1 for text in row]
                for row in distinct]
    while spare > 0:
        current = [[lines(row[i], steps[i]) for i in range(ncols)] for row in distinct]
        best: tuple[float, int, int] | None = None
        for i in range(ncols):
            # only the rows whose cell i takes several lines change when column i is widened
            changing = [(w, row[i], [*cells[:i], *cells[i + 1:]], reach[i])
                        for w, cells, row, reach in zip(weight, current, distinct, one_line) if cells[i] > 1]
            if not changing:
                continue
            last = min(spare, max(c[3] for c in changing) - steps[i])

            def cost(d: int, i: int = i, changing: list[Any] = changing) -> float:
                total = 0.0
                for w, text, others, _ in changing:
                    cells = [*others[:i], lines(text, steps[i] + d), *others[i:]]
                    total += w * height(cells)
                return total

            now = cost(0)
            for d in range(1, last + 1):
                gain = (now - cost(d)) / d   # per step: a wide step that saves many lines beats a short one saving few
                if gain > 1e-9 and (best is None or gain > best[0] + 1e-12):
                    best = (gain, i, d)
        if best is None:   # every cell on one line
            break
        _, i, d = best
        steps[i] += d
        spare -= d
    widths = [s * _STEP_CM for s in steps]
    widths[wide] += total_cm - sum(widths)
    return widths


def fix_widths(grid: DocxTable, widths_cm: list[float]) -> None:
    """Fixed layout with these column widths, in the grid and every cell (LibreOffice reads the
    grid, Word the cells)."""
    from docx.shared import Cm

    grid.autofit = False
    for column, width in zip(grid.columns, widths_cm):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _row_flag(row: DocxRow, tag: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr: Any = row._tr.get_or_add_trPr()   # python-docx has no API for these row flags
    if tr_pr.find(qn(tag)) is None:
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "true")
        tr_pr.append(flag)


def cant_split(row: DocxRow) -> None:
    """The row is never split across two pages."""
    _row_flag(row, "w:cantSplit")


def repeat_header(row: DocxRow) -> None:
    """The row (the header) is repeated at the top of every page the table runs onto."""
    _row_flag(row, "w:tblHeader")


def _docx_table(d: DocxDocument, table: Table, para: AddParagraph, Cm: Callable[[float], Length]) -> None:
    ncols = len(table.header)
    rows = len(table.rows) + 1 + (1 if table.totals else 0)
    grid = d.add_table(rows=rows, cols=ncols)
    grid.style = "Table Grid"
    cells = [r.cells for r in grid.rows]  # fetch once: python-docx rebuilds cell lists per call
    for i, h in enumerate(table.header):
        para(cells[0][i].paragraphs[0], h, bold=True, align="center", size=12)
    for r, row in enumerate(table.rows, start=1):
        for i in range(ncols):
            value = str(row[i]) if i < len(row) else ""
            para(cells[r][i].paragraphs[0], value, align=table.column_align(i), size=12)
    if table.totals:
        for i in range(ncols):
            value = str(table.totals[i]) if i < len(table.totals) else ""
            para(cells[-1][i].paragraphs[0], value, bold=True, align=table.column_align(i), size=12)
    if table.widths:   # given: scaled to the text width
        widths = [w * TEXT_WIDTH_CM / sum(table.widths[:ncols]) for w in table.widths[:ncols]]
    else:
        body = [[str(c) for c in row] for row in table.rows] + ([[str(c) for c in table.totals]] if table.totals else [])
        widths = column_widths(table.header, body, wide=table.wide)
    fix_widths(grid, widths)
    repeat_header(grid.rows[0])
    for row in grid.rows:
        cant_split(row)
    if len(table.rows) > 1:
        # the first row goes with the second: the header never stands with one row at the foot of a
        # page (and LibreOffice 7.4 dropped every later row of such a table from the printed page)
        for cell in cells[1]:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    d.add_paragraph()


# --- writing ----------------------------------------------------------------------------------
def format_of(path: str | os.PathLike[str]) -> str:
    """``docx``, ``md`` or ``html`` from the file name; other extensions are refused."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise LibsyncError("rotation.doc.bad_extension", path=str(path), choices=", ".join(sorted(FORMATS)))
    return FORMATS[suffix]


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(doc)
    if fmt == "md":
        return to_markdown(doc).encode("utf-8")
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    raise LibsyncError("rotation.doc.bad_extension", path=fmt, choices=", ".join(sorted(FORMATS)))


def write(doc: Document, path: str | os.PathLike[str]) -> str:
    """Render by the extension of ``path`` and write it atomically; returns the format."""
    fmt = format_of(path)
    write_atomic(path, render(doc, fmt))
    return fmt
