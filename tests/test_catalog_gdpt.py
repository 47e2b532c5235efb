"""School books of GDPT 2018 in the union catalogue (issue #16): the domain knowledge, the
matching rules that use it, import that infers and normalises, search and site facets — and a
register-like labelled set (``gdpt_corpus``: three libraries, CSV in TCVN3, XLSX, MARC, read
through the real importers) with its precision, recall and the merges that must never happen."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from gdpt_corpus import LIBRARIES, build, evaluate

from libsync.catalog import union_from_records
from libsync.catalog.match import compare, features, key_text, volume_key
from libsync.model import gdpt
from libsync.model.enums import RECORD_TYPES

KNTT, CTST, CD = "Kết nối tri thức với cuộc sống", "Chân trời sáng tạo", "Cánh Diều"


# --- the knowledge ------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling, name", [
    ("KNTT", KNTT), ("Kết nối tri thức", KNTT), ("Kết nối tri thức với cuộc sống", KNTT), ("kntt", KNTT),
    ("KẾT NỐI TRI THỨC VỚI CUỘC SỐNG", KNTT), ("Kết nối tri thức với cuộc sông", KNTT),
    (unicodedata.normalize("NFD", "Kết nối tri thức"), KNTT),
    ("CTST", CTST), ("Chân Trời Sáng Tạo", CTST), ("Chân trời sán tạo", CTST), ("Chan troi sang tao", CTST),
    ("CD", CD), ("Cánh diều", CD), ("Bộ sách Cánh Diều", CD), ("Kết nối tri thức với cuộc sống (KNTT)", KNTT),
    ("Global Success", None), ("Cánh diều tuổi thơ", None), ("Tủ sách vàng", None), ("", None),
])
def test_series_spellings_meet_at_the_canonical_name(spelling, name):
    assert gdpt.series_name(spelling) == name


@pytest.mark.parametrize("spelling, name", [
    ("Nhà xuất bản Giáo dục Việt Nam", gdpt.GDVN), ("NXB Giáo dục Việt Nam", gdpt.GDVN), ("NXBGDVN", gdpt.GDVN),
    ("NXB GDVN", gdpt.GDVN), ("Giáo dục Việt Nam", gdpt.GDVN), ("nxb giao duc viet nam", gdpt.GDVN),
    ("Nhà xuất bản Đại học Sư phạm", gdpt.DHSP), ("NXB ĐHSP", gdpt.DHSP), ("Đại học Sư phạm", gdpt.DHSP),
    ("NXB ĐHSP TP.HCM", gdpt.DHSP_HCM), ("NXB Kim Đồng", None), ("Thanh niên", None),
])
def test_publisher_spellings_meet_at_the_canonical_name(spelling, name):
    assert gdpt.publisher_name(spelling) == name


@pytest.mark.parametrize("spelling", ["Tập 1", ", tập 1", "T.1", "T1", "(Quyển 1)", "tập một", "Quyển I", "1"])
def test_every_volume_spelling_of_the_issue_is_volume_1(spelling):
    assert volume_key(spelling) == "1"
    assert features({"title": f"Toán 6 {spelling}" if not spelling.isdigit() else "Toán 6", "volume": None
                     if not spelling.isdigit() else spelling}).volume == "1"


def test_tap_hai_and_bai_tap():
    assert volume_key("tập hai") == "2"
    assert features({"title": "Ngữ văn 6 - tập hai"}).volume == "2"
    assert features({"title": "Bài tập hai"}).volume is None   # the "tập" of "Bài tập" is no volume


@pytest.mark.parametrize("title, subtitle, series, expected", [
    ("Toán 6 - Sách giáo viên", None, None, ("teacher-book", "Sách giáo viên")),
    ("SGV Ngữ văn 7 tập một", None, None, ("teacher-book", "SGV")),
    ("Bài tập Hoạt động trải nghiệm, hướng nghiệp 8", None, None, ("workbook", "Bài tập")),
    ("Vở bài tập Toán 6", None, None, ("workbook", "Vở bài tập")),
    ("Sách bài tập Ngữ văn 6, tập 1", None, None, ("workbook", "Sách bài tập")),
    ("Toán 6 - Bài tập - CD", None, None, ("workbook", "Bài tập")),
    ("Tiếng Anh 6", "Sách giáo viên", None, ("teacher-book", "Sách giáo viên")),
    ("Toán 6", None, "KNTT", ("textbook", "Toán 6 + " + KNTT)),
    ("Khoa học tự nhiên lớp 7 (CTST)", None, None, ("textbook", "Khoa học tự nhiên 7 + " + CTST)),
    ("Toán 6", None, None, None),                       # no series: a textbook of another programme?
    ("Toán 6", None, "Global Success", None),
    ("Giải bài tập Toán 6", None, None, None),          # "bài tập" inside a title is no kind word
    ("Cánh diều tuổi thơ", None, None, None),           # a story, not the series
    ("Dế Mèn phiêu lưu ký", None, None, None),
])
def test_type_inferred_from_the_title(title, subtitle, series, expected):
    found = gdpt.infer_type(title, subtitle, series)
    assert (found and (found.type, found.evidence)) == expected


def test_subjects_per_grade_and_their_spellings():
    assert "Hoạt động trải nghiệm, hướng nghiệp" in gdpt.SUBJECTS[8] and "Khoa học tự nhiên" in gdpt.SUBJECTS[6]
    assert gdpt.is_gdpt_subject("Vật lí", 10) and not gdpt.is_gdpt_subject("Vật lí", 6)
    assert all(len(gdpt.SUBJECTS[g]) >= 9 for g in range(1, 13))
    assert gdpt.subject_name("Lịch sử và Địa lý") == gdpt.subject_name("LS&ĐL") == "Lịch sử và Địa lí"
    assert gdpt.subject_grade("khtn lop 7".split()) == ("Khoa học tự nhiên", 7)
    assert gdpt.subject_grade("khoa hoc tu nhen 7".split()) == ("Khoa học tự nhiên", 7)   # a letter missing
    assert gdpt.subject_grade("toan 6 nang cao".split()) is None
    # the matcher's record types and the kinds agree with the schema
    assert set(gdpt.KIND_TYPE.values()) <= set(RECORD_TYPES) and "workbook" in RECORD_TYPES


def test_knowledge_folds_as_the_matcher_does():
    for text in ("Địa lý", "Kĩ thuật", "NXB ĐHSP", unicodedata.normalize("NFD", "Mỹ thuật 7"), "Quý"):
        assert gdpt.key(text) == key_text(text)


# --- matching rules -----------------------------------------------------------------------------

def _feat(lib: str, rid: str, **record: object):
    return features({"id": rid, "library": lib, **record})


@pytest.mark.parametrize("a, b", [
    ("Hoạt động trải nghiệm, hướng nghiệp 8", "Bài tập Hoạt động trải nghiệm, hướng nghiệp 8"),
    ("Toán 6", "Toán 6 - Sách giáo viên"),
    ("Bài tập Toán 6", "SGV Toán 6"),
    ("Ngữ văn 7", "Ngữ văn 7 (Sách giáo viên)"),
])
def test_kind_is_a_never_merge_guard_without_any_type(a, b):
    fa = _feat("XS", "a", type="other", title=a, authors=["Lưu Thu Thủy"], year=2023)
    fb = _feat("HD", "b", type="other", title=b, authors=["Lưu Thu Thủy"], year=2023)
    assert compare(fa, fb).outcome == "none" and compare(fa, fb).reasons == ("kind",)


def test_a_leading_kind_word_is_never_similar_enough():
    plain = {"type": "other", "title": "Truyện Kiều", "authors": ["Nguyễn Du"], "share": "network"}
    union = union_from_records([{**plain, "id": "a", "library": "XS"},
                                {**plain, "id": "b", "library": "HD", "title": "Bài tập Truyện Kiều"}])
    assert len(union["clusters"]) == 2
    assert union["uncertain"][0]["reasons"] == ["kind-missing"]


def test_series_and_publisher_are_compared_by_canonical_name():
    base = {"type": "other", "authors": ["Đỗ Đức Thái"], "year": 2021}
    a = _feat("XS", "a", **base, title="Toán 6", series="CD", publisher="NXB ĐHSP")
    b = _feat("HD", "b", **base, title="Toán 6", curriculum={"series": "Cánh diều"},
              publisher="Nhà xuất bản Đại học Sư phạm")
    c = _feat("ND", "c", **base, title="Toán 6 (Cánh Diều)", publisher="Đại học Sư phạm")
    assert a.series == b.series == c.series == "cd" and a.publisher == b.publisher == c.publisher
    assert compare(a, b).outcome == compare(a, c).outcome == "merge"
    other = _feat("ND", "d", **base, title="Toán 6", series="KNTT")
    assert compare(a, other).reasons == ("series",)


def test_tone_only_titles_never_merge_even_through_a_third_record():
    story = {"type": "story", "authors": ["Nguyễn Văn Hòa"], "year": 2020, "share": "network"}
    records = [{**story, "id": "ca", "library": "XS", "title": "Cá"},
               {**story, "id": "ca2", "library": "HD", "title": "Cà"},
               {**story, "id": "ca3", "library": "ND", "title": unicodedata.normalize("NFD", "Cá")}]
    union = union_from_records(records)
    assert sorted(sorted(f"{m['library']}/{m['record']}" for m in c["members"]) for c in union["clusters"]) == \
        [["HD/ca2"], ["ND/ca3", "XS/ca"]]


def test_a_record_without_authors_joins_its_own_series_not_one_of_other_authors():
    """A lacks the series, B lacks the authors: B belongs with C (its series, and C's authors are
    not A's), never with A."""
    base = {"type": "workbook", "title": "Sách bài tập Khoa học tự nhiên 8", "year": 2024, "share": "network"}
    a = {**base, "id": "a", "library": "HD", "authors": ["Dương Minh Minh", "Trần Hữu Chi"]}
    b = {**base, "id": "b", "library": "HD", "series": KNTT}
    c = {**base, "id": "c", "library": "ND", "series": KNTT, "authors": ["Hà Văn Chi", "Vũ Minh Hùng"]}
    d = {**base, "id": "d", "library": "XS", "authors": ["Hà Văn Chi"]}
    union = union_from_records([a, b, c, d])
    groups = sorted(sorted(f"{m['library']}/{m['record']}" for m in cl["members"]) for cl in union["clusters"])
    assert groups == [["HD/a"], ["HD/b", "ND/c", "XS/d"]]


# --- the labelled set ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("gdpt") / "net")


@pytest.fixture(scope="module")
def result(corpus):
    return evaluate(corpus)


def test_the_set_is_large_three_libraries_three_formats_every_variant(corpus):
    assert len(corpus.editions) >= 200
    assert corpus.true_pairs() >= 300
    assert set(corpus.formats.values()) == {"csv", "xlsx", "marc"}
    assert {r["library"] for r in corpus.records} == set(LIBRARIES)
    assert corpus.plans["XS"].encodings == {"tcvn3": 1}
    assert not any(plan.rejected for plan in corpus.plans.values())
    seen = corpus.variants
    for family in ("series:KNTT", "series:Kết nối tri thức", "series:Kết nối tri thức với cuộc sống", "series:CTST",
                   "series:Chân Trời Sáng Tạo", "series:CD", "series:Cánh diều", "series in the title", "series absent",
                   "publisher:NXBGDVN", "publisher:NXB GDVN", "publisher:Giáo dục Việt Nam",
                   "publisher:Nhà xuất bản Giáo dục Việt Nam", "publisher:NXB Giáo dục Việt Nam",
                   "publisher:NXB ĐHSP", "publisher:Đại học Sư phạm", "publisher:Nhà xuất bản Đại học Sư phạm",
                   "volume field:Tập N", "volume field:T.N", "volume field:Quyển N", "volume in title:, tập N",
                   "volume in title: TN", "volume in title: T.N", "volume in title: (Quyển N)",
                   "kind:Bài tập X", "kind:Vở bài tập X", "kind:Sách bài tập X", "kind:SBT X", "kind:X - Bài tập",
                   "kind:X - Sách giáo viên", "kind:Sách giáo viên X", "kind:SGV X", "kind:X (Sách giáo viên)",
                   "teacher's book told by the type column only", "type column", "MARC 490", "MARC 911",
                   "doubled spaces", "NFD", "TCVN3", "i/y spelling", "typo in a long subject name",
                   "subject spelling", "authors missing", "first author only", "author role", "year missing", "isbn"):
        assert seen[family] > 0, family
    assert any(k.startswith("volume field:tập ") for k in seen) and any(k.startswith("volume in title: - tập ") for k in seen)
    stories = [e for e in corpus.editions.values() if e.kind == "story"]
    assert {"Cá", "Cà", "Mẹ", "Mè", "Bà tôi", "Ba tôi"} <= {e.title for e in stories}


def test_precision_and_recall_reach_the_targets(result):
    assert result["precision"] >= 0.995, result["wrong"][:5]
    assert result["recall"] >= 0.97, (result["fn"], result["recall"])


def test_nothing_a_cataloguer_keeps_apart_is_merged(corpus, result):
    # the set holds such pairs in numbers: same subject, grade and series in another kind or
    # volume; the same book in another grade or series; stories that differ by a tone mark
    editions = list(corpus.editions.values())
    near: Counter[str] = Counter()
    for i, a in enumerate(editions):
        for b in editions[i + 1:]:
            if a.kind != "story" and b.kind != "story" and a.subject == b.subject:
                same = {name: getattr(a, name) == getattr(b, name) for name in ("grade", "series", "kind", "volume")}
                if sum(not v for v in same.values()) == 1:
                    near[next(k for k, v in same.items() if not v)] += 1
    assert min(near[k] for k in ("grade", "series", "kind", "volume")) >= 20, near
    assert not [w for w in result["wrong"] if set(w["differ"]) & {"kind", "volume", "grade", "series", "tone"}]


def test_import_infers_the_type_and_keeps_the_evidence(corpus):
    by_edition = {corpus.truth[f"XS/{r['id']}"]: r for r in corpus.records if r["library"] == "XS"}
    expected = {"workbook": "workbook", "teacher": "teacher-book"}
    checked = 0
    for label, record in by_edition.items():   # XS's register has no type column
        edition = corpus.editions[label]
        if edition.kind in expected:
            assert record["type"] == expected[edition.kind], record["title"]
            assert record["provenance"]["inferred"]["type"].startswith("title: "), record["provenance"]
            checked += 1
        elif edition.kind == "pupil" and (record.get("curriculum") or {}).get("series"):
            assert record["type"] == "textbook", record["title"]
            assert record["provenance"]["inferred"]["type"].startswith(("title + series: ", "title: Sách giáo khoa"))
        elif edition.kind == "story":
            assert record["type"] == "other" and "inferred" not in record["provenance"]
    assert checked >= 40
    summary = corpus.plans["XS"].to_dict()["inferred"]
    assert summary["types"]["workbook"] > 0 and summary["types"]["teacher-book"] > 0
    assert summary["canonical"]["publisher"] > 0


def test_import_stores_canonical_series_and_publishers_and_collapsed_titles(corpus):
    canonical = {s.name for s in gdpt.SERIES}
    originals = 0
    for record in corpus.records:
        for value in (record.get("series"), (record.get("curriculum") or {}).get("series")):
            assert value is None or value in canonical, value
        if record["publisher"] in ("NXBGDVN", "NXB GDVN", "NXB ĐHSP", "Giáo dục Việt Nam"):
            raise AssertionError(record["publisher"])
        assert "  " not in record["title"] and record["title"] == record["title"].strip()
        original = record["provenance"].get("original") or {}
        originals += len(original)
        for name, typed in original.items():
            now = record["curriculum"]["series"] if name == "curriculum.series" else record[name]
            assert typed != now and (gdpt.series_name(typed) or gdpt.publisher_name(typed)) == now
    assert originals > 300


# --- the import report, search and the web catalogue --------------------------------------------

REGISTER = """Số ĐKCB,Tên sách,Tác giả,Nhà xuất bản,Năm XB,Bộ sách,Tập
XS-G-1,Bài  tập Toán 6,Hà Huy Khoái,NXBGDVN,2021,KNTT,T.1
XS-G-2,Toán 6 - Sách giáo viên,Hà Huy Khoái,NXB GDVN,2021,Kết nối tri thức,
XS-G-3,Toán 6,Hà Huy Khoái,Giáo dục Việt Nam,2021,KNTT,Tập một
"""


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_import_report_says_what_was_inferred(example_repo, tmp_path, cli):
    register = tmp_path / "so-dkcb.csv"
    register.write_text(REGISTER, encoding="utf-8")
    before = _tree_hash(example_repo)
    result = cli("--repo", example_repo, "import", "table", register, "--library", "XS", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Loại tài liệu: 2 biểu ghi không có loại được suy ra từ nhan đề" in result.output   # counted
    assert "loại suy ra từ nhan đề: sách bài tập" not in result.output and "--verbose" in result.output
    result = cli("--repo", example_repo, "import", "table", register, "--library", "XS", "--dry-run", "--verbose")
    assert "loại suy ra từ nhan đề: sách bài tập, vở bài tập (“Bài tập”)" in result.output   # each record's
    assert "; Tùng thư: “KNTT”" not in result.output   # "Bộ sách" is the curriculum's series
    assert "Bộ sách: “KNTT” ghi theo tên chuẩn “Kết nối tri thức với cuộc sống”" in " ".join(result.output.split())
    assert "curriculum.series" not in result.output   # the field named as she calls it
    assert _tree_hash(example_repo) == before   # a dry run writes nothing
    english = cli("--repo", example_repo, "--lang", "en", "import", "table", register, "--library", "XS",
                  "--dry-run", "--format", "json")
    data = json.loads(english.output)
    assert data["inferred"]["types"] == {"workbook": 1, "teacher-book": 1}
    assert data["inferred"]["canonical"] == {"curriculum.series": 3, "publisher": 3}
    assert any("type told by the title: workbook" in note for r in data["records"] for note in r["inferred"])


def test_search_and_site_facets_use_canonical_series(example_repo, tmp_path, cli):
    register = tmp_path / "so-dkcb.csv"
    register.write_text(REGISTER, encoding="utf-8")
    assert cli("--repo", example_repo, "import", "table", register, "--library", "XS").exit_code == 0
    counts = set()
    for spelling in ("KNTT", "Kết nối tri thức với cuộc sống", "kết nối tri thức"):
        found = cli("--repo", example_repo, "search", "toan 6", "--series", spelling, "--format", "json",
                    "--limit", "100")
        assert found.exit_code == 0, found.output
        hits = json.loads(found.output)["results"]
        counts.add(len(hits))
        assert hits and all((h.get("curriculum") or {}).get("series", h.get("series")) == KNTT for h in hits)
    assert len(counts) == 1
    cd = json.loads(cli("--repo", example_repo, "search", "toan 6", "--series", "CD", "--format", "json").output)
    assert cd["results"] and all(KNTT not in json.dumps(h, ensure_ascii=False) for h in cd["results"])
    out = tmp_path / "site"
    assert cli("--repo", example_repo, "site", "build", "-o", out, "--audience", "network").exit_code == 0
    meta_text = (out / "data" / "meta.js").read_text(encoding="utf-8")
    meta = json.loads(meta_text[len("LSD.meta("):meta_text.rindex(")")])
    assert KNTT in meta["series"] and "KNTT" not in meta["series"] and "Kết nối tri thức" not in meta["series"]
    assert len(meta["series"]) == len(set(meta["series"]))
    assert "workbook" in meta["type_order"]
    assert 'id="f-series"' in (out / "index.html").read_text(encoding="utf-8")
