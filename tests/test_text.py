"""libsync.text: NFC storage, the folding key, ISBN/ISSN — with real Vietnamese strings."""

from __future__ import annotations

import random
import re
import unicodedata

from libsync.text import fold, nfc, strip_accents
from libsync.text.identifiers import compact_isbn, isbn13, isbn_valid, issn_valid


def reference_fold(text: str) -> str:
    """The definition, written the slow obvious way."""
    text = text.casefold().replace("đ", "d").replace("Đ", "d").replace("ð", "d").replace("Ð", "d").replace("ɖ", "d")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text).replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def test_fold_examples():
    assert fold("Toán 6") == fold("TOÁN 6") == fold(unicodedata.normalize("NFD", "Toán 6")) == "toan 6"
    assert fold("  Đất rừng  phương Nam! ") == "dat rung phuong nam"
    assert fold("Lịch sử và Địa lí 8 — Tập 1") == "lich su va dia li 8 tap 1"
    assert strip_accents("Nguyễn Nhật Ánh") == "Nguyen Nhat Anh"
    assert fold(None) == "" and fold("") == ""


def test_fold_matches_its_definition_on_random_text():
    rng = random.Random(7)
    samples = ["Đất rừng phương Nam", unicodedata.normalize("NFD", "Tiếng Việt 7 — tập 2"), "Straße", "snake_case",
               "Ðoàn Giỏi", "ÁO DÀI", "x\u0301\u0323y", "한국어 १२३", "", "  Toán   6!  "]
    ranges = [(32, 0x2FF), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x370, 0x3FF), (0x900, 0x97F), (0xAC00, 0xAC50)]
    for _ in range(3000):
        samples.append("".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randint(1, 10))))
    assert [fold(s) for s in samples] == [reference_fold(s) for s in samples]


def test_nfc():
    nfd = unicodedata.normalize("NFD", "Kết nối tri thức với cuộc sống")
    assert nfd != "Kết nối tri thức với cuộc sống"
    assert nfc(nfd) == "Kết nối tri thức với cuộc sống"


def test_isbn_and_issn():
    assert isbn_valid("978-604-0-15258-9") and not isbn_valid("978-604-0-15258-8")
    assert compact_isbn("978 604 0 15258 9 (tập 1)") == "9786040152589"
    assert isbn13("0-306-40615-2") == "9780306406157"
    assert issn_valid("0866-7381") and not issn_valid("0866-7382")
