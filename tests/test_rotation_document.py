"""The shared official-document model: docx read back, HTML escaped, Markdown literal."""

import datetime as dt

import docx
import pytest

from libsync.errors import LibsyncError
from libsync.render.document import Document, Paragraph, Signature, Table, date_line, to_html, to_markdown, write


def sample(lang="vi"):
    return Document(
        issuer=["PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU", "TRƯỜNG THCS XUÂN SƠN"],
        number="Số: 01/BB-LC",
        place="Xuân Sơn",
        date=dt.date(2024, 10, 7),
        title="BIÊN BẢN BÀN GIAO <TÀI LIỆU>",
        subtitle="Học kỳ I năm học 2024–2025",
        body=[
            Paragraph("Trường THCS Xuân Sơn & <b>bạn</b>", lead="Bên giao:"),
            Paragraph("I. DANH MỤC", style="heading"),
            Table(["STT", "Số ĐKCB", "Tên tài liệu"], [["1", "XS-0001", "Toán 6 | tập 1"], ["2", "XS-0002", "Ngữ văn 6"]],
                  totals=["", "Tổng cộng", "2"], align=["center", "left", "left"], widths=[1.2, 3, 8]),
        ],
        signatures=[[Signature("BÊN GIAO", name="Phạm Thị Thu Hà"), Signature("BÊN NHẬN", name="Lê Thị Hồng Nhung")],
                    [Signature("HIỆU TRƯỞNG", name="Nguyễn Văn Thành")]],
        lang=lang,
    )


def test_date_line_follows_decree_30():
    assert date_line("Xuân Sơn", dt.date(2024, 10, 7), "vi") == "Xuân Sơn, ngày 07 tháng 10 năm 2024"
    assert date_line("Xuân Sơn", dt.date(2025, 2, 3), "vi") == "Xuân Sơn, ngày 03 tháng 02 năm 2025"
    assert date_line("Xuân Sơn", dt.date(2025, 4, 15), "vi") == "Xuân Sơn, ngày 15 tháng 4 năm 2025"
    assert date_line("Xuân Sơn", dt.date(2024, 10, 7), "en") == "Xuân Sơn, 7 October 2024"


def test_docx_reads_back(tmp_path):
    out = tmp_path / "bb.docx"
    assert write(sample(), out) == "docx"
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    head = d.tables[0].rows[0].cells
    assert "TRƯỜNG THCS XUÂN SƠN" in head[0].text and "Số: 01/BB-LC" in head[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in head[1].text
    assert "Xuân Sơn, ngày 07 tháng 10 năm 2024" in text
    assert "BIÊN BẢN BÀN GIAO <TÀI LIỆU>" in text
    data = d.tables[1]
    assert [c.text for c in data.rows[0].cells] == ["STT", "Số ĐKCB", "Tên tài liệu"]
    assert [c.text for c in data.rows[-1].cells] == ["", "Tổng cộng", "2"]
    assert data.rows[-1].cells[1].paragraphs[0].runs[0].bold
    signs = d.tables[2].rows[0].cells
    assert "BÊN GIAO" in signs[0].text and "Phạm Thị Thu Hà" in signs[0].text
    assert "Nguyễn Văn Thành" in d.tables[2].rows[1].cells[0].text   # the blocks: one table, a row per line


def test_html_escapes_everything():
    page = to_html(sample())
    assert "<b>bạn</b>" not in page
    assert "&lt;b&gt;bạn&lt;/b&gt;" in page
    assert "&lt;TÀI LIỆU&gt;" in page
    assert 'lang="vi"' in page


def test_markdown_is_literal_and_english_labels():
    md = to_markdown(sample("en"))
    assert "Toán 6 \\| tập 1" in md
    assert "SOCIALIST REPUBLIC OF VIETNAM" in md
    assert "| 1 | XS-0001 |" in md


def test_unknown_extension_refused(tmp_path):
    with pytest.raises(LibsyncError) as err:
        write(sample(), tmp_path / "bb.pdf")
    assert err.value.key == "rotation.doc.bad_extension"
    assert not (tmp_path / "bb.pdf").exists()
