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
                  widths=[1.0, 2.5, ...]),     # widths in cm (docx), optional
        ],
        signatures=[[Signature("BÊN GIAO", name="Phạm Thị Thu Hà"), Signature("BÊN NHẬN", ...)],
                    [Signature("HIỆU TRƯỞNG", name="Nguyễn Văn Thành")]],  # rows of blocks
        lang="vi",                              # labels of the header; None = current language
    )
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
from typing import TYPE_CHECKING

from libsync.atomic import write_atomic
from libsync.errors import LibsyncError
from libsync.i18n import get_language, t
from libsync.text.xmlchars import visible

if TYPE_CHECKING:   # python-docx is imported only when a .docx is written
    from docx.document import Document as DocxDocument
    from docx.shared import Length
    from docx.text.paragraph import Paragraph as DocxParagraph

    AddParagraph = Callable[..., DocxParagraph]

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

    ``align`` gives one of left/center/right per column; ``widths`` are in centimetres.
    """

    header: list[str]
    rows: list[list[str]]
    totals: list[str] | None = None
    align: list[str] | None = None
    widths: list[float] | None = None

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


def _day_month(date: dt.date) -> tuple[str, str]:
    """Day with a leading zero below 10; months 1 and 2 written 01, 02 (Nghị định 30/2020)."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return day, month


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
    return "\n".join(out).rstrip() + "\n"


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
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


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
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
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
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
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
        elif block.style == "center":
            para(d, block.text, align="center")
        elif block.style == "note":
            para(d, block.text, italic=True, align="justify", size=12)
        else:
            p = para(d, "", align="justify")
            if block.lead:
                p.add_run(visible(block.lead + " ")).bold = True
            p.add_run(visible(block.text))
    for row in doc.signatures:
        if not row:
            continue
        d.add_paragraph()
        table = d.add_table(rows=1, cols=len(row))
        for cell, sig in zip(table.rows[0].cells, row):
            para(cell.paragraphs[0], sig.role, bold=True, align="center")
            para(cell.add_paragraph(), doc.signature_note(sig), italic=True, align="center", size=12)
            if sig.position:
                para(cell.add_paragraph(), sig.position, align="center", size=12)
            for _ in range(3):
                cell.add_paragraph()
            para(cell.add_paragraph(), sig.name, bold=True, align="center")
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


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
    if table.widths:
        for row_cells in cells:
            for i, w in enumerate(table.widths[:ncols]):
                row_cells[i].width = Cm(w)
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
