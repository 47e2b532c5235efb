"""`libsync enrich`: copy cataloguing from partner libraries, on real repositories.

The example network's three libraries each hold "Dế Mèn phiêu lưu ký" (one cluster of the
union catalogue); tests empty fields of Xuân Sơn's record and let its partners fill them.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_example
from libsync.catalog.enrich import FIELDS, apply_enrich, plan_enrich
from libsync.repository import Repository
from test_rotation_support import snapshot

TARGET = "records/XS/xs-truyen-de-men.yaml"
HD = "records/HD/hd-truyen-de-men.yaml"
ND = "records/ND/nd-truyen-de-men.yaml"
tree = snapshot   # every file outside .git and .libsync, with its bytes


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Thủ thư", "-c", "user.email=tt@example.vn", *args],
                          capture_output=True, text=True, check=True).stdout


def load(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def edit(root: Path, rel: str, drop: tuple[str, ...] = (), **values: object) -> dict:
    """Change a record file as a fixture (the tool path, not a command)."""
    data = load(root, rel)
    for key in drop:
        data.pop(key, None)
    data.update(values)
    Repository(root).save(rel, data)
    return data


def committed(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "mạng mẫu")
    return root


POOR = ("subjects", "keywords", "classification", "call_number", "publisher", "place", "pages", "summary")


@pytest.fixture
def poor(example_repo: Path) -> Path:
    """The example network, committed, with Xuân Sơn's "Dế Mèn" stripped to its title, authors,
    year and ISBN and kept internal."""
    edit(example_repo, TARGET, drop=POOR, share="internal")
    return committed(example_repo)


def test_fills_empty_fields_from_partners_with_provenance(poor, cli):
    partner = load(poor, HD)
    result = cli("--repo", poor, "enrich", "--library", "XS", "--apply", "--commit")
    assert result.exit_code == 0, result.output
    rec = load(poor, TARGET)
    for name in ("subjects", "keywords", "classification", "call_number", "publisher", "place", "pages", "summary"):
        assert rec[name] == partner[name], name
    assert rec["share"] == "internal"            # no --share-when-complete: the level is the library's
    enriched = {e["field"]: e for e in rec["provenance"]["enriched"]}
    assert set(enriched) == {"subjects", "keywords", "classification.ddc", "call_number", "publisher", "place",
                             "pages", "summary"}
    assert enriched["publisher"]["from"] == ["HD/hd-truyen-de-men", "ND/nd-truyen-de-men"]
    assert all(e["date"] == rec["updated"] for e in enriched.values())
    assert git(poor, "status", "--porcelain") == ""
    assert "Libsync-Command: enrich" in git(poor, "log", "-1", "--format=%B")
    assert cli("--repo", poor, "validate").exit_code == 0


def test_dry_run_by_default_changes_nothing_and_lists_each_field(poor, cli):
    before = tree(poor)
    result = cli("--repo", poor, "--lang", "en", "enrich", "--library", "XS", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["dry_run"] is True and data["applied"] is False
    fields = {(c["record"], c["field"]) for c in data["changes"]}
    assert ("XS/xs-truyen-de-men", "call_number") in fields and ("XS/xs-truyen-de-men", "pages") in fields
    change = next(c for c in data["changes"] if c["field"] == "pages")
    assert change == {"record": "XS/xs-truyen-de-men", "field": "pages", "old": None, "new": 144,
                      "from": ["HD/hd-truyen-de-men", "ND/nd-truyen-de-men"]}
    assert data["summary"]["changed_records"] >= 1
    assert tree(poor) == before
    text = cli("--repo", poor, "--lang", "vi", "enrich", "--records", "XS/xs-truyen-de-men")
    assert "ký hiệu xếp giá (call_number)" in text.output and "--apply" in text.output
    assert tree(poor) == before


def test_conflicting_partners_are_reported_and_the_field_stays_empty(poor, cli):
    edit(poor, HD, publisher="Nhà xuất bản Kim Đồng")
    edit(poor, ND, publisher="Nhà xuất bản Trẻ")
    result = cli("--repo", poor, "--lang", "en", "enrich", "--library", "XS", "--apply", "-f", "json")
    assert result.exit_code == 0, result.output     # a conflict is the data's, not an error of the tool
    data = json.loads(result.output)
    conflict = next(c for c in data["conflicts"] if c["field"] == "publisher")
    assert conflict["record"] == "XS/xs-truyen-de-men"
    assert {v["value"]: v["from"] for v in conflict["values"]} == {
        "Nhà xuất bản Kim Đồng": ["HD/hd-truyen-de-men"], "Nhà xuất bản Trẻ": ["ND/nd-truyen-de-men"]}
    rec = load(poor, TARGET)
    assert "publisher" not in rec
    assert rec["call_number"]                      # the other fields were still filled
    assert "publisher" not in {e["field"] for e in rec["provenance"]["enriched"]}
    text = cli("--repo", poor, "--lang", "vi", "enrich", "--library", "XS")
    assert "Xung đột" in text.output and "Nhà xuất bản Trẻ" in text.output


def test_same_value_spelt_differently_is_no_conflict(poor, cli):
    edit(poor, ND, publisher="NXB Kim Đồng", place="HÀ NỘI")
    plan = plan_enrich(Repository(poor), "XS")
    assert not [c for c in plan.conflicts if c.field in ("publisher", "place")]
    fill = {f.field: f for f in plan.fills if f.record == "XS/xs-truyen-de-men"}
    assert fill["publisher"].new == "Nhà xuất bản Kim Đồng"   # the best source's spelling
    assert fill["place"].sources == ["HD/hd-truyen-de-men", "ND/nd-truyen-de-men"]


def test_internal_partner_records_are_never_sources(poor, cli):
    edit(poor, HD, share="internal")
    edit(poor, ND, share="internal")
    plan = plan_enrich(Repository(poor), "XS")
    assert not [f for f in plan.fills if f.record == "XS/xs-truyen-de-men"
                and any(s.startswith(("HD/", "ND/")) for s in f.sources)]
    assert "XS/xs-truyen-de-men" not in {f.record for f in plan.fills}   # and no classification of its own


def test_overwrite_only_the_named_field(poor, cli):
    edit(poor, TARGET, place="Hà Nội (sai)", pages=999)
    result = cli("--repo", poor, "enrich", "--records", "XS/xs-truyen-de-men", "--overwrite", "place", "--apply")
    assert result.exit_code == 0, result.output
    rec = load(poor, TARGET)
    assert rec["place"] == "Hà Nội"
    assert rec["pages"] == 999                     # present, not named: kept
    assert cli("--repo", poor, "enrich", "--library", "XS", "--overwrite", "nhan-de").exit_code == 2


def test_subjects_from_classification_when_nothing_better(example_repo, cli):
    edit(example_repo, "records/XS/xs-truyen-de-men.yaml", drop=POOR, share="internal",
         classification={"bpl19": "8V2"})
    edit(example_repo, HD, share="internal")
    edit(example_repo, ND, share="internal")
    result = cli("--repo", example_repo, "enrich", "--records", "XS/xs-truyen-de-men", "--apply")
    assert result.exit_code == 0, result.output
    rec = load(example_repo, TARGET)
    assert rec["subjects"] == ["Văn học Việt Nam"]
    assert rec["provenance"]["enriched"] == [{"field": "subjects", "from": ["classification.bpl19 8V2"],
                                              "date": rec["updated"]}]


def test_nfd_partner_text_is_stored_nfc(poor, cli):
    nfd = unicodedata.normalize("NFD", "Văn học thiếu nhi Việt Nam")
    raw = (poor / HD).read_text(encoding="utf-8").replace("- Văn học thiếu nhi", f"- {nfd}")
    (poor / HD).write_bytes(raw.encode("utf-8"))
    assert cli("--repo", poor, "enrich", "--library", "XS", "--apply").exit_code == 0
    subjects = load(poor, TARGET)["subjects"]
    assert "Văn học thiếu nhi Việt Nam" in subjects
    assert all(unicodedata.is_normalized("NFC", s) for s in subjects)


def test_marc_file_as_a_source(example_repo, tmp_path, cli):
    from libsync.interchange.marc import record_to_iso2709

    source = load(example_repo, HD)
    mrc = tmp_path / "thu-vien-quoc-gia.mrc"
    mrc.write_bytes(b"".join(record_to_iso2709(source)))
    edit(example_repo, TARGET, drop=POOR)
    edit(example_repo, HD, share="internal")
    edit(example_repo, ND, share="internal")
    result = cli("--repo", example_repo, "--lang", "en", "enrich", "--records", "XS/xs-truyen-de-men",
                 "--from", mrc, "-f", "json")
    assert result.exit_code == 0, result.output
    changes = {c["field"]: c for c in json.loads(result.output)["changes"]}
    assert changes["call_number"]["new"] == source["call_number"]
    assert changes["call_number"]["from"] == ["thu-vien-quoc-gia.mrc#1"]
    assert changes["pages"]["new"] == source["pages"]
    missing = cli("--repo", example_repo, "enrich", "--library", "XS", "--from", tmp_path / "khong-co.mrc")
    assert missing.exit_code == 2 and "khong-co.mrc" in missing.output


def test_refusal_leaves_the_repository_byte_for_byte_unchanged(poor, cli):
    edit(poor, TARGET, notes="Chưa commit")       # an uncommitted change to the record enrich would commit
    before, status = tree(poor), git(poor, "status", "--porcelain")
    result = cli("--repo", poor, "enrich", "--library", "XS", "--commit")
    assert result.exit_code != 0
    assert tree(poor) == before and git(poor, "status", "--porcelain") == status
    for args in (("--library", "QQ"), ("--records", "XS/khong-co"), ("--overwrite", "x", "--library", "XS"), ()):
        bad = cli("--repo", poor, "enrich", *args, "--apply")
        assert bad.exit_code == 2, (args, bad.output)
        assert tree(poor) == before


def test_a_record_still_invalid_is_held_back_and_does_not_block_others(poor, cli):
    # shared with the network but lacking what Art. 28 asks: enrich fills subjects, not the call number
    edit(poor, "records/XS/xs-tk-atlat.yaml", drop=("subjects", "keywords", "call_number"), share="network")
    for rel in ("records/HD/hd-tk-atlat.yaml", "records/ND/nd-tk-atlat.yaml"):
        edit(poor, rel, drop=("call_number",))
    atlat = (poor / "records/XS/xs-tk-atlat.yaml").read_bytes()
    result = cli("--repo", poor, "--lang", "en", "enrich", "--library", "XS", "--apply", "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [h["record"] for h in data["held_back"]] == ["XS/xs-tk-atlat"]
    assert (poor / "records/XS/xs-tk-atlat.yaml").read_bytes() == atlat
    assert load(poor, TARGET)["call_number"]      # the others were written


def test_share_when_complete_promotes_to_the_policy_level(poor, cli):
    result = cli("--repo", poor, "--lang", "en", "enrich", "--library", "XS", "--share-when-complete", "--apply",
                 "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"record": "XS/xs-truyen-de-men", "share": ["internal", "network"]} in data["promoted"]
    assert load(poor, TARGET)["share"] == "network"     # network.yaml: stories are shared with the network
    # a record already complete but kept internal by its library is left where it is
    assert load(poor, "records/HD/hd-noi-bo-ky-yeu-60-nam.yaml").get("share", "internal") == "internal"
    assert cli("--repo", poor, "validate").exit_code == 0


# --- the property: a value a record has is never changed without --overwrite -------------------

def _flat(record: dict) -> dict[str, object]:
    out = {name: record.get(name) for name in FIELDS if name != "classification"}
    for key, value in (record.get("classification") or {}).items():
        out[f"classification.{key}"] = value
    return out


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), share=st.booleans())
def test_enrich_never_overwrites_a_present_value(tmp_path_factory, seed, share):
    import random

    root = copy_example(tmp_path_factory.mktemp("net"))
    rng = random.Random(seed)
    repo = Repository(root)
    paths = sorted(p.relative_to(root).as_posix() for p in (root / "records").rglob("*.yaml"))
    for rel in rng.sample(paths, len(paths) // 3):   # a third of the records lose some fields
        data = load(root, rel)
        for name in rng.sample(FIELDS, rng.randint(1, 5)):
            data.pop(name, None)
        if data.get("share") in ("network", "public") and rng.random() < 0.5:
            data["share"] = "internal"       # stays valid without what Art. 28 asks
        if data.get("share", "internal") != "internal":
            continue
        repo.save(rel, data)
    before = {rel: load(root, rel) for rel in paths}
    for library in ("XS", "HD", "ND"):
        plan = plan_enrich(repo, library, share_when_complete=share)
        for rel, new in plan.documents.items():
            old = before[rel]
            old_flat, new_flat = _flat(old), _flat(new)
            for name, value in old_flat.items():
                if value not in (None, "", [], {}):
                    assert new_flat[name] == value, (rel, name)
            for name in set(old) - {"provenance", "updated", "share", "access", *FIELDS}:
                assert new[name] == old[name], (rel, name)
        apply_enrich(repo, plan)
        for rel in plan.documents:
            assert load(root, rel) == plan.documents[rel]
    from libsync.validation import validate

    assert validate(root).errors == []


def test_enrich_record_joins_index_terms_and_takes_the_fuller_author_list():
    from libsync.catalog.enrich import enrich_record

    record = {"id": "xs-a", "library": "XS", "type": "story", "title": "Quê nội", "subjects": ["Văn học"]}
    sources = [
        ("HD/a", {"authors": ["Võ Quảng"], "keywords": ["Quê hương", "Tuổi thơ"], "subjects": ["Văn học thiếu nhi"]}),
        ("ND/b", {"authors": ["Võ Quảng", "Nguyễn Văn B (minh hoạ)"], "keywords": ["tuổi thơ", "Làng quê"]}),
    ]
    new, fills, conflicts = enrich_record(record, "XS/xs-a", sources)
    assert new["authors"] == ["Võ Quảng", "Nguyễn Văn B (minh hoạ)"]
    assert new["keywords"] == ["Quê hương", "Tuổi thơ", "Làng quê"]     # "tuổi thơ" is the same words
    assert new["subjects"] == ["Văn học"] and record == {"id": "xs-a", "library": "XS", "type": "story",
                                                        "title": "Quê nội", "subjects": ["Văn học"]}
    assert {f.field: f.sources for f in fills} == {"authors": ["HD/a", "ND/b"], "keywords": ["HD/a", "ND/b"]}
    assert conflicts == []
    sources.append(("XS/c", {"authors": ["Tô Hoài"]}))
    _, fills, conflicts = enrich_record(record, "XS/xs-a", sources)
    assert [c.field for c in conflicts] == ["authors"] and "authors" not in {f.field for f in fills}
    assert [v for v, _ in conflicts[0].values] == [["Võ Quảng", "Nguyễn Văn B (minh hoạ)"], ["Tô Hoài"]]


def test_a_record_changed_after_planning_refuses_the_whole_write(poor):
    from libsync.errors import LibsyncError

    repo = Repository(poor)
    plan = plan_enrich(repo, "XS")
    assert TARGET in plan.texts
    edit(poor, TARGET, notes="Sửa tay trong lúc chạy")    # another command (or a person) changed it meanwhile
    before = tree(poor)
    with pytest.raises(LibsyncError) as refused:
        apply_enrich(repo, plan)
    assert refused.value.exit_code == 1
    assert tree(poor) == before
