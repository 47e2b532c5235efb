"""Every .docx document libsync writes, printed as a school prints it: converted to PDF by headless
LibreOffice, its layout checked from the PDF's text positions (``pdftotext -bbox``) (#15 item 8).

The documents: handover, return and donation minutes of exchanges (one large enough for tables
over several pages, with a copy missing on receipt), stocktake minutes, the general, individual
and textbook registers, and a withdrawal dossier. LibreOffice and poppler-utils are installed by
``.ci/run`` (``libreoffice-writer-nogui poppler-utils``).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
import yaml
from typer.testing import CliRunner

from libsync.i18n import t
from libsync.repository import Repository
from libsync.rotation import lifecycle
from test_rotation_support import git_network, write_scan

BIG = "xs-hd-2024-2025-hk1-in-thu"
GIFT = "xs-hd-2024-2025-hk1-trao-tang"
GIFT_COPIES = ["XS-TK-00034", "XS-TK-00001", "XS-TK-00002"]
LEFT_MARGIN_PT = 3.0 / 2.54 * 72      # Nghị định 30: 3 cm
KINDS = ("handover", "return", "donation", "stocktake", "register-general", "register-individual",
         "register-textbook", "withdrawal")


def _cli(*args: object) -> str:
    from libsync.cli import create_app

    result = CliRunner().invoke(create_app(), [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def _free_copies(root: Path, library: str, count: int, skip: set[str]) -> list[str]:
    """``count`` copies of ``library`` on its shelf and in no exchange (in file order)."""
    in_exchanges = set()
    for path in (root / "exchanges").rglob("*.yaml"):
        for copy in yaml.safe_load(path.read_text(encoding="utf-8")).get("copies") or []:
            in_exchanges.add(copy["barcode"])
    found = []
    for path in sorted((root / "records" / library).glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if record.get("type") == "digital":
            continue
        for item in record.get("items") or []:
            code = item["barcode"]
            if item["status"] == "available" and not item.get("holder") and code not in in_exchanges | skip:
                found.append(code)
    assert len(found) >= count
    return found[:count]


def build_documents(out: Path) -> dict[str, Path]:
    """Every kind of .docx document, from one network, into ``out``."""
    root, _ = git_network(out / "net", remote=False)
    repo = Repository(root)
    r = ("--repo", root)
    copies = _free_copies(root, "XS", 45, set(GIFT_COPIES))
    _cli(*r, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD", "--id", BIG,
         *[a for code in copies for a in ("--barcode", code)], "--handover", "2024-10-07",
         "--return-due", "2025-01-17", "--date", "2024-09-30", "--no-branch")
    _cli(*r, "exchange", "approve", BIG, "--date", "2024-10-01")
    _cli(*r, "exchange", "dispatch", BIG, "--date", "2024-10-07")
    _cli(*r, "exchange", "receive", BIG, "--date", "2024-10-08", "--scan", write_scan(out / "nhan.txt", copies[1:]))
    docs = {"handover": out / "ban-giao.docx", "return": out / "tra.docx", "donation": out / "trao-tang.docx",
            "stocktake": out / "kiem-ke.docx", "withdrawal": out / "thanh-ly.docx"}
    _cli(*r, "exchange", "minutes", BIG, "-o", docs["handover"])
    _cli(*r, "inventory", "diff", "XS/2024-10-01-truoc-luan-chuyen-hk1", "XS/2024-11-15-sau-luan-chuyen-hk1",
         "--minutes", docs["stocktake"])
    _cli(*r, "exchange", "return", BIG, "--date", "2025-01-15", "--scan", write_scan(out / "tra.txt", copies[2:]))
    _cli(*r, "exchange", "close", BIG, "--date", "2025-01-16", "--yes")
    _cli(*r, "exchange", "minutes", BIG, "--kind", "return", "-o", docs["return"])

    lifecycle.propose(repo, branch=False, term="2024-2025/HK1", sender="XS", receiver="HD", handover=dt.date(2024, 10, 7),
                      kind="donation", barcodes=GIFT_COPIES, exchange_id=GIFT, title="Sách trao tặng Hưng Đạo",
                      date=dt.date(2024, 10, 1))
    lifecycle.approve(repo, GIFT, date=dt.date(2024, 10, 2))
    lifecycle.dispatch(repo, GIFT, date=dt.date(2024, 10, 7))
    lifecycle.receive(repo, GIFT, date=dt.date(2024, 10, 8), barcodes="HD-TK-00901")
    _cli(*r, "exchange", "minutes", GIFT, "-o", docs["donation"])

    for kind in ("general", "individual", "textbook"):
        docs[f"register-{kind}"] = out / f"so-{kind}.docx"
        _cli(*r, "register", kind, "--library", "XS", "--year", "2024-2025", "-o", docs[f"register-{kind}"])
    _cli(*r, "withdraw", "propose", "-l", "HD", "--rule", "lost", "-o", docs["withdrawal"])
    assert sorted(docs) == sorted(KINDS)
    return docs


def to_pdf(files: list[Path], out: Path, profile: Path) -> None:
    """One headless LibreOffice run for all of them, with a profile of its own."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (apt-get install libreoffice-writer-nogui poppler-utils)"
    env = {**os.environ, "HOME": str(profile)}
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, env=env, timeout=600)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words_of(pdf: Path) -> list[Word]:
    """Every word of the PDF with its page (from 1) and box, in reading order."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    words, page = [], 0
    for line in text.splitlines():
        if "<page " in line:
            page += 1
        m = _WORD.search(line)
        if m:
            words.append(Word(page, html.unescape(m.group(5)), *(float(m.group(i)) for i in range(1, 5))))
    return words


@dataclass
class Printed:
    docx: docx.document.Document
    words: list[Word]

    @property
    def pages(self) -> int:
        return max(w.page for w in self.words)

    def on(self, page: int) -> list[Word]:
        return [w for w in self.words if w.page == page]

    def find(self, phrase: str, page: int | None = None) -> list[Word]:
        """The first word of each place the words of ``phrase`` follow one another."""
        parts = phrase.split()
        pool = self.words if page is None else self.on(page)
        return [pool[i] for i in range(len(pool) - len(parts) + 1)
                if [w.text for w in pool[i:i + len(parts)]] == parts]

    def pages_of(self, phrase: str) -> list[int]:
        return sorted({w.page for w in self.find(phrase)})


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Printed]:
    out = tmp_path_factory.mktemp("documents")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIBSYNC_CACHE_DIR", str(out / "cache"))
        mp.delenv("LIBSYNC_REPO", raising=False)
        docs = build_documents(out)
    to_pdf(list(docs.values()), out / "pdf", tmp_path_factory.mktemp("lo-profile"))
    return {kind: Printed(docx.Document(str(path)), words_of(out / "pdf" / (path.stem + ".pdf")))
            for kind, path in docs.items()}


def _unbreakable_cells(document) -> set[str]:
    """The one-word cells that must print on one line: barcodes, dates, amounts, numbers."""
    found = set()
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                text = cell.text.strip()
                if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9./-]{3,39}", text) and re.search(r"\d", text):
                    found.add(text)
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_no_barcode_date_or_amount_is_broken_across_lines(printed, kind):
    doc = printed[kind]
    printed_words = {w.text for w in doc.words}
    cells = _unbreakable_cells(doc.docx)
    assert cells, kind
    broken = sorted(c for c in cells if c not in printed_words)
    assert not broken, f"{kind}: printed over two lines: {broken[:10]}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_table_row_keeps_together_and_the_header_repeats(printed, kind):
    document = printed[kind].docx
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    data_tables = [tb for tb in document.tables if len(tb.columns) > 2 or tb.style.name == "Table Grid"]
    assert data_tables
    for table in data_tables:
        rows = table._tbl.findall(f"{ns}tr")
        assert all(r.find(f"{ns}trPr/{ns}cantSplit") is not None for r in rows)
        assert rows[0].find(f"{ns}trPr/{ns}tblHeader") is not None
        assert table._tbl.find(f"{ns}tblPr/{ns}tblLayout").get(f"{ns}type") == "fixed"


@pytest.mark.parametrize("kind, first, header", [
    ("handover", "STT", "Số ĐKCB"), ("return", "STT", "Số ĐKCB"), ("stocktake", "STT", "Số ĐKCB"),
    ("register-individual", "STT", None),
])
def test_long_tables_repeat_their_header_on_the_next_page(printed, kind, first, header):
    doc = printed[kind]
    assert doc.pages >= 2, f"{kind}: expected a table over several pages"
    head = doc.docx.tables[-1].rows[0].cells if kind.startswith("register") else None
    label = header or " ".join(head[1].text.split()) if head else header
    pages = doc.pages_of(label)
    assert len(pages) >= 2 and pages[1] == pages[0] + 1, (kind, label, pages)
    # on the next page the header comes before every row of the table
    top = min(w.y0 for w in doc.find(label, pages[1]))
    rows = [w for w in doc.on(pages[1]) if re.fullmatch(r"\d+", w.text) and w.x0 < LEFT_MARGIN_PT + 40]
    assert rows and top < min(w.y0 for w in rows)


def _center(words: list[Word]) -> float:
    return (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2


@pytest.mark.parametrize("kind", ["handover", "return"])
def test_columns_follow_their_content(printed, kind):
    """STT narrow, the title widest: widths from where the first row's cells begin on the page
    (barcode, title and author are left-aligned; STT is centred under its heading)."""
    doc = printed[kind]
    first = doc.find("RTXS11")[0]
    line = sorted((w for w in doc.on(first.page) if abs(w.y0 - first.y0) < 2), key=lambda w: w.x0)
    texts = [w.text for w in line]
    assert texts[:5] == ["1", "RTXS11", "Toán", "6", "Hà"], texts
    stt, barcode, title, author = line[0], line[1], line[2], line[4]
    pad = 0.19 / 2.54 * 72                       # a cell's left margin
    w_stt = 2 * ((barcode.x0 - pad) - (stt.x0 + stt.x1) / 2)
    w_barcode = title.x0 - barcode.x0
    w_title = author.x0 - title.x0
    assert 0 < w_stt < 45, w_stt                 # about 1.5 cm at most
    assert w_barcode > barcode.x1 - barcode.x0   # the barcode fits its column
    assert w_title > 2 * w_stt and w_title >= w_barcode, (w_stt, w_barcode, w_title)


def test_handover_signature_blocks_stay_together_with_their_names(printed):
    doc = printed["handover"]
    roles = doc.pages_of("ĐẠI DIỆN BÊN GIAO")
    assert len(roles) == 1
    page = roles[0]
    for phrase in ("ĐẠI DIỆN BÊN NHẬN", "HIỆU TRƯỞNG TRƯỜNG THCS XUÂN SƠN", "HIỆU TRƯỞNG TRƯỜNG THCS HƯNG ĐẠO",
                   "Nguyễn Văn Thành", "Trần Thị Minh Hằng"):
        assert doc.pages_of(phrase) == [page], phrase
    role_y = doc.find("ĐẠI DIỆN BÊN GIAO", page)[0].y0
    names = [w for w in doc.find("Phạm Thị Thu Hà", page) if w.y0 > role_y]
    assert names, "the giver's name is not under the signature block"
    assert doc.pages > 1 and page == doc.pages       # the blocks end the minutes, on one page


def _legend(document) -> dict[str, str]:
    """The stocktake's references under the detail table: ``[n]`` → the exchange id it stands for."""
    found = {}
    for p in document.paragraphs:
        m = re.match(r"(\[\d+\]) Phiếu luân chuyển (\S+?)[,:]", p.text)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def test_stocktake_marks_rotation_apart_from_lost(printed):
    doc = printed["stocktake"]
    detail = [tb for tb in doc.docx.tables if tb.rows[0].cells[0].text == "STT"][-1]
    ref = next(n for n, exchange in _legend(doc.docx).items() if exchange == BIG)
    away = [row.cells[4].text for row in detail.rows[1:]
            if row.cells[3].text == t("inventory.cat.explained") and ref in row.cells[5].text]
    assert away and set(away) == {"LC"}    # away on the large exchange: not M, the mark for lost
    assert len(doc.find("LC")) >= len(away)
    assert doc.find("LC — đang luân chuyển")


def _natural(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code))


def test_stocktake_rows_in_barcode_order_and_each_exchange_id_once_unbroken(printed):
    """Acceptance: the LC rows were in no order, each carried its exchange id, and the id broke
    across lines ("xs-nd-2024-10-tk-" / "ngu-van-6-7"). Rows are in barcode order; a row names
    its exchange by a reference [n]; the id is printed once per exchange, under the table, whole."""
    doc = printed["stocktake"]
    detail = [tb for tb in doc.docx.tables if tb.rows[0].cells[0].text == "STT"][-1]
    codes = [row.cells[1].text for row in detail.rows[1:]]
    assert len(codes) > 40 and codes == sorted(codes, key=_natural)
    printed_codes = [w.text for w in doc.words if w.text in set(codes)]
    assert printed_codes == codes                      # every row printed, in that order
    legend = _legend(doc.docx)
    assert BIG in legend.values() and "xs-nd-2024-10-tk-ngu-van-6-7" in legend.values()
    notes = " ".join(row.cells[5].text for row in detail.rows[1:])
    for ref, exchange in legend.items():
        assert exchange not in notes and ref in notes, (ref, exchange)
        whole = [w for w in doc.words if w.text.strip(",:.()") == exchange]
        assert len(whole) == 1, (exchange, [w.text for w in doc.words if exchange[:8] in w.text])
    partner = next(p.text for p in doc.docx.paragraphs if "xs-nd-2024-10-tk-ngu-van-6-7" in p.text)
    assert "Trường THCS Nguyễn Du" in partner          # the partner school is named with its exchange


def _title_lines(doc: Printed) -> tuple[dict[int, int], dict[int, int]]:
    """For the handover table: row number → lines its title takes, and page → rows on it (rows found
    by their STT; the title column lies between the first row's title and author)."""
    first = doc.find("RTXS11")[0]
    line = sorted((w for w in doc.on(first.page) if abs(w.y0 - first.y0) < 2), key=lambda w: w.x0)
    title_x, author_x = line[2].x0, line[4].x0
    stt = (line[0].x0 + line[0].x1) / 2
    starts = [w for w in doc.words[doc.words.index(line[0]):]
              if re.fullmatch(r"\d+", w.text) and abs((w.x0 + w.x1) / 2 - stt) < 8]
    rows: dict[int, Word] = {}
    for w in starts:   # the STT column: 1, 2, 3 … in reading order (not the page numbers of a footer)
        if int(w.text) == len(rows) + 1:
            rows[int(w.text)] = w
    lines, per_page = {}, {}
    footer = {page: min((w.y0 for w in doc.find("Phiếu luân chuyển trong", page)), default=1e9)
              for page in range(1, doc.pages + 1)}
    for n, start in rows.items():
        end = rows.get(n + 1)
        words = [w for w in doc.on(start.page) if title_x - 1 <= w.x0 < author_x - 1 and w.y0 >= start.y0 - 2
                 and (end is None or end.page != start.page or w.y0 < end.y0 - 2)
                 and w.y0 < min(start.y0 + 80, footer[start.page] - 2)]
        tops = sorted(w.y0 for w in words)
        lines[n] = 1 + sum(1 for a, b in itertools.pairwise(tops) if b - a > 4)   # a line: words at one height
        per_page[start.page] = per_page.get(start.page, 0) + 1
    return lines, per_page


def test_handover_titles_fit_on_two_lines_and_page_one_holds_twelve_rows(printed):
    """Acceptance: the title column was 3.6 cm, titles wrapped over 2–3 lines and page 1 held 5
    rows, beside an always-empty "Ghi chú" column. That column is dropped, the right margin is
    Nghị định 30's 1.5 cm (A4 portrait kept), and the widths are shared so that rows are short."""
    doc = printed["handover"]
    header = [c.text for c in doc.docx.tables[1].rows[0].cells]
    assert "Ghi chú" not in header
    section = doc.docx.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 3.0 and round(section.right_margin.cm, 1) == 1.5
    lines, per_page = _title_lines(doc)
    assert len(lines) == 45, sorted(lines)
    assert max(lines.values()) <= 2, {n: k for n, k in lines.items() if k > 2}
    assert per_page[1] >= 12, per_page


def test_the_exchange_id_in_the_footer_is_never_broken(printed):
    for kind in ("handover", "return"):
        doc = printed[kind]
        whole = [w for w in doc.words if w.text == BIG]
        assert len(whole) == doc.pages, (kind, [w.text for w in doc.words if "hk1-in" in w.text])


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "withdrawal"])   # a round's id holds its date
def test_one_date_format(printed, kind):
    """dd/mm/yyyy in the body and tables; the long form only in the header's date line."""
    text = " ".join(w.text for w in printed[kind].words)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), kind
    long_form = re.findall(r"ngày \d{2} tháng \d{1,2} năm \d{4}", text)
    assert len(long_form) == (0 if kind.startswith("register") else 1), (kind, long_form)
    assert kind == "register-textbook" or re.search(r"\b\d{2}/\d{2}/\d{4}\b", text), kind   # it has no dates


def _blocks_after_headings(document) -> list[tuple[str, str]]:
    """(heading, first word of what follows it) for each section heading (I., II., …) of the body."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    blocks = list(document.iter_inner_content())
    pairs = []
    for here, after in itertools.pairwise(blocks):
        if isinstance(here, DocxParagraph) and re.match(r"[IVX]+\. ", here.text):
            text = after.rows[0].cells[0].text if isinstance(after, DocxTable) else after.text
            if text.split():
                pairs.append((here.text, text.split()[0]))
    return pairs


@pytest.mark.parametrize("kind", KINDS)
def test_a_section_heading_is_never_alone_at_the_foot_of_a_page(printed, kind):
    """The stocktake minutes printed 'III. DANH SÁCH TÀI LIỆU CẦN LƯU Ý' at the foot of page 1 and
    its table on page 2: a heading keeps with what follows it."""
    doc = printed[kind]
    for heading, first in _blocks_after_headings(doc.docx):
        at = doc.find(heading)
        assert at, (kind, heading)
        start = doc.words.index(at[0])
        following = next(w for w in doc.words[start + len(heading.split()):] if w.text == first)
        assert following.page == at[0].page, (kind, heading, first)


@pytest.mark.parametrize("kind", ["handover", "return", "donation", "stocktake"])
def test_the_closing_sentence_is_printed_with_the_signatures(printed, kind):
    """The signatures never stand alone on a page: the last sentence of the body goes with them."""
    doc = printed[kind]
    body = [p for p in doc.docx.paragraphs if p.text.strip()]
    assert body[-1].paragraph_format.keep_with_next, kind   # however the table ends the page before
    closing = body[-1].text
    ends = doc.find(closing)
    assert ends, (kind, closing)
    signature = next(w for w in doc.words[doc.words.index(ends[-1]):] if w.text == "(Ký,")
    assert signature.page == ends[-1].page, (kind, closing)
