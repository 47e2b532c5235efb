"""`libsync share`, the sharing policy, and the write path's cross-file refusal (issue #11)."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import git
import pytest
import yaml

from libsync.catalog.sharing import Selection, apply_share, plan_share
from libsync.errors import LibsyncError
from libsync.model.sharing import lacking, policy_for
from libsync.repository import Repository
from libsync.store import write as store_write
from test_rotation_support import committed, snapshot


def record(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def test_lacking_names_each_field_and_internal_needs_nothing():
    bare = {"id": "x", "library": "XS", "title": "Truyện Kiều", "type": "story"}
    assert lacking(bare, "internal") == []
    assert lacking(bare, "network") == ["authors", "publisher", "year", "subjects", "call_number"]
    full = dict(bare, authors=["Nguyễn Du"], publisher="Nhà xuất bản Văn học", year=2019, keywords=["Truyện thơ"],
                call_number="8V1 / NG527D")
    assert lacking(full, "public") == []
    # a periodical may name its publisher instead of authors
    magazine = {"title": "Toán Tuổi thơ", "type": "periodical", "publisher": "NXB Giáo dục Việt Nam", "year": 2024,
                "subjects": ["Toán học"], "call_number": "05 / T406T"}
    assert lacking(magazine, "network") == []


def test_policy_most_specific_rule_wins_key_by_key():
    network = {"sharing": {"share": "network", "access": "catalog",
                           "types": {"textbook": {"share": "public", "access": "read"}},
                           "libraries": {"HD": {"share": "internal", "types": {"textbook": {"access": "download"}}}}}}
    assert policy_for(network, "XS", "textbook") == ("public", "read")
    assert policy_for(network, "XS", "story") == ("network", "catalog")
    assert policy_for(network, "HD", "textbook") == ("public", "download")   # HD's type rule, then the network's
    assert policy_for(network, "HD", "story") == ("internal", "catalog")
    assert policy_for({}, "XS", "story") == ("internal", "catalog")
    assert policy_for({}, "XS", "story", ("network", "catalog")) == ("network", "catalog")


def test_share_changes_what_it_may_and_lists_what_lacks_a_field(example_repo, cli):
    committed(example_repo)
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "share", "--library", "HD", "--share", "public", "--dry-run", "--format", "json")
    assert result.exit_code == 1   # one record cannot be shared: problems found, the rest would change
    data = json.loads(result.stdout)
    assert data["counts"]["changed"] > 40 and data["counts"]["refused"] == 1
    assert data["refused"][0]["id"] == "hd-noi-bo-ky-yeu-60-nam" and data["refused"][0]["missing"] == ["publisher"]
    assert data["written"] is False and snapshot(example_repo) == before

    result = cli("--repo", example_repo, "share", "--library", "HD", "--share", "public", "--yes", "--commit")
    assert result.exit_code == 1 and "thiếu nhà xuất bản" in result.stdout
    assert record(example_repo, "records/HD/hd-am-nhac-6-cd.yaml")["share"] == "public"
    assert record(example_repo, "records/HD/hd-noi-bo-ky-yeu-60-nam.yaml")["share"] == "internal"
    assert record(example_repo, "records/XS/xs-am-nhac-6-kntt.yaml")["share"] == "network"   # other library untouched
    head = git.Repo(example_repo).head.commit
    assert "Libsync-Command: share" in head.message and len(head.stats.files) == data["counts"]["changed"]
    assert cli("--repo", example_repo, "validate").exit_code == 0


def test_share_filters_combine(example_repo):
    repo = Repository(example_repo)
    plan = plan_share(repo, Selection(library="XS", types=["textbook"], grades=[6], series=["ket noi tri thuc voi cuoc song"]),
                      share="public")
    ids = {c.id for c in plan.changes}
    assert "xs-am-nhac-6-kntt" in ids
    for rel in plan.documents:
        data = record(example_repo, rel)
        assert data["library"] == "XS" and data["type"] == "textbook" and data["curriculum"]["grade"] == 6
    # search folding: no accents, any case, NFD typed
    query = unicodedata.normalize("NFD", "ÂM NHẠC")
    found = {c.id for c in plan_share(repo, Selection(query=query), share="public").changes}
    assert "xs-am-nhac-6-kntt" in found and all("am-nhac" in i for i in found)
    # a series as librarians write it: KNTT is Kết nối tri thức với cuộc sống
    short = {c.id for c in plan_share(repo, Selection(library="XS", series=["KNTT"]), share="public").changes}
    assert "xs-am-nhac-6-kntt" in short
    # explicit ids, with and without the library
    plan = plan_share(repo, Selection(ids=["XS/xs-am-nhac-6-kntt", "hd-am-nhac-6-cd"]), access="read")
    assert sorted(c.id for c in plan.changes) == ["hd-am-nhac-6-cd", "xs-am-nhac-6-kntt"]


@pytest.mark.parametrize("args,key", [
    (["--share", "public"], "share.no_filter"),
    (["--library", "XS"], "share.nothing_to_set"),
    (["--library", "XS", "--share", "everyone"], "cli.bad_format"),
    (["XS/khong-co", "--share", "public"], "share.unknown_records"),
    (["--library", "ZZ", "--share", "public"], None),
])
def test_share_refusals_write_nothing(example_repo, cli, args, key):
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "--lang", "en", "share", *args, "--yes")
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert snapshot(example_repo) == before


def test_share_asks_and_a_no_writes_nothing(example_repo, cli):
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "share", "--library", "XS", "--type", "textbook", "--access", "read", input="n\n")
    assert result.exit_code == 1 and "Không ghi gì" in result.output
    assert snapshot(example_repo) == before
    result = cli("--repo", example_repo, "share", "--library", "XS", "--type", "textbook", "--access", "read", input="y\n")
    assert result.exit_code == 0 and "Đã ghi" in result.output


def test_share_refuses_when_a_file_changed_since_it_was_read(example_repo):
    repo = Repository(example_repo)
    plan = plan_share(repo, Selection(ids=["XS/xs-am-nhac-6-kntt"]), share="public")
    path = example_repo / "records/XS/xs-am-nhac-6-kntt.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Âm nhạc 6", "Âm nhạc lớp 6"), encoding="utf-8")
    edited = snapshot(example_repo)
    with pytest.raises(LibsyncError) as err:
        apply_share(repo, plan)
    assert err.value.key == "write.changed_meanwhile"
    assert snapshot(example_repo) == edited   # the other command's edit is kept


def test_write_path_refuses_a_barcode_of_another_library(example_repo):
    """Cross-file rules guard every write: the change is refused as validate would, nothing written."""
    repo = Repository(example_repo)
    theirs = record(example_repo, "records/XS/xs-am-nhac-6-kntt.yaml")["items"][0]["barcode"]
    mine = record(example_repo, "records/HD/hd-am-nhac-6-cd.yaml")
    mine["items"][0]["barcode"] = theirs.lower()   # barcodes are one label whatever the case
    before = snapshot(example_repo)
    with pytest.raises(LibsyncError) as err:
        store_write.apply_documents(repo, {"records/HD/hd-am-nhac-6-cd.yaml": mine})
    assert err.value.key == "write.invalid" and "records/HD/hd-am-nhac-6-cd.yaml:" in str(err.value)
    assert snapshot(example_repo) == before
    # deleting a record an exchange manifest names is refused too
    manifest_record = "records/ND/nd-bao-toan-tuoi-tho-2024.yaml"
    assert (example_repo / manifest_record).exists()
    with pytest.raises(LibsyncError) as err:
        store_write.apply(repo, {manifest_record: None})
    assert "nd-xs-2024-10-bao-tap-chi.yaml:" in str(err.value)   # the manifest that would point at nothing
    assert snapshot(example_repo) == before


def test_import_refuses_barcodes_of_another_library(example_repo, cli, tmp_path):
    """The bug of #11: a register whose barcodes belong to another library was written."""
    theirs = record(example_repo, "records/XS/xs-am-nhac-6-kntt.yaml")["items"][0]["barcode"]
    register = tmp_path / "so-dang-ky.csv"
    register.write_text("Nhan đề,Tác giả,Số ĐKCB\nCánh đồng bất tận,Nguyễn Ngọc Tư," + theirs + "\n"
                        "Mắt biếc,Nguyễn Nhật Ánh,HD-MOI-00001\n", encoding="utf-8")
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "import", "table", register, "--library", "HD", "--format", "json")
    data = json.loads(result.stdout)
    assert data["counts"]["rejected"] == 1 and data["counts"]["created"] == 1
    rejected = next(r for r in data["records"] if r["action"] == "rejected")
    assert theirs in json.dumps(rejected, ensure_ascii=False) and "XS" in json.dumps(rejected, ensure_ascii=False)
    after = snapshot(example_repo)
    assert set(after) - set(before) and all(rel.startswith("records/HD/") for rel in set(after) - set(before))
    assert cli("--repo", example_repo, "validate").exit_code == 0


def test_import_applies_the_policy_and_says_what_was_kept_internal(example_repo, cli, tmp_path):
    network = example_repo / "network.yaml"
    text = network.read_text(encoding="utf-8")
    assert "sharing:" in text   # the example's policy: textbooks and teacher's books public
    register = tmp_path / "so.csv"
    register.write_text(
        "Nhan đề,Tác giả,Nhà xuất bản,Năm,Chủ đề,Ký hiệu xếp giá,Loại,Số ĐKCB\n"
        "Toán 7,Hà Huy Khoái,Nhà xuất bản Giáo dục Việt Nam,2022,Toán học,51 / T406,textbook,HD-MOI-00011\n"
        "Dế Mèn phiêu lưu ký,Tô Hoài,Nhà xuất bản Kim Đồng,2020,Truyện thiếu nhi,8V3 / T450H,story,HD-MOI-00012\n"
        "Kỷ yếu hội giảng,,,,,,other,HD-MOI-00013\n", encoding="utf-8")
    result = cli("--repo", example_repo, "import", "table", register, "--library", "HD")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("Chia sẻ: 1 biểu ghi") and "libsync enrich --library HD" in line for line in lines)
    shares = {}
    for path in (example_repo / "records/HD").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if any(str(i.get("barcode", "")).startswith("HD-MOI") for i in data.get("items", [])):
            shares[data["title"]] = data["share"]
    assert shares == {"Toán 7": "public", "Dế Mèn phiêu lưu ký": "network", "Kỷ yếu hội giảng": "internal"}


def test_import_says_how_many_kept_records_partners_can_complete(example_repo, cli, tmp_path):
    """A register without subjects or call numbers: the records stay internal, and the summary's
    last line counts those enrich can complete from the partners' records of the same books."""
    register = tmp_path / "so.csv"
    register.write_text(
        "Nhan đề,Tác giả,Nhà xuất bản,Năm,ISBN,Loại,Số ĐKCB\n"
        "Âm nhạc 6,Đỗ Thị Minh Chính,Nhà xuất bản Giáo dục Việt Nam,2021,978-604-0-98544-6,textbook,ND-MOI-00031\n"
        "Sổ tay thư viện,,,,,other,ND-MOI-00032\n", encoding="utf-8")
    result = cli("--repo", example_repo, "import", "table", register, "--library", "ND", "--format", "json")
    assert result.exit_code == 0, result.output
    kept = json.loads(result.stdout)["kept_internal"]
    assert kept["records"] == 2 and kept["enrich_could_complete"] == 1
    enriched = cli("--repo", example_repo, "enrich", "--library", "ND", "--share-when-complete", "--apply")
    assert enriched.exit_code == 0, enriched.output
    assert cli("--repo", example_repo, "validate").exit_code == 0


def test_share_as_a_process_in_two_languages(example_repo):
    for lang, word in (("vi", "Khớp"), ("en", "Records matching: ")):
        out = subprocess.run(["python3", "-m", "libsync", "--repo", str(example_repo), "--lang", lang, "share",
                              "--library", "ND", "--share", "network", "--dry-run"], capture_output=True, text=True)
        assert out.returncode in (0, 1) and word in out.stdout and "Traceback" not in out.stderr


def test_import_never_makes_a_windows_device_name_an_id(example_repo, cli, tmp_path):
    register = tmp_path / "so.csv"
    register.write_text("Nhan đề,Tác giả,Số ĐKCB\nCon,Nguyễn Nhật Ánh,HD-MOI-00021\nNul,Tô Hoài,HD-MOI-00022\n",
                        encoding="utf-8")
    result = cli("--repo", example_repo, "import", "table", register, "--library", "HD", "--format", "json")
    assert result.exit_code == 0, result.output
    ids = sorted(r["id"] for r in json.loads(result.stdout)["records"])
    assert ids == ["con-2", "nul-2"] and (example_repo / "records/HD/con-2.yaml").exists()
    assert cli("--repo", example_repo, "validate").exit_code == 0


def test_a_record_validate_rejects_for_its_own_reason_is_listed_not_blocking(example_repo, cli):
    """A record with an old mistake (a 19-class code under ddc) is listed with validate's message;
    the others are changed (before, the whole bulk change was refused)."""
    rel = "records/XS/xs-truyen-de-men.yaml"
    data = record(example_repo, rel)
    data["classification"] = {"ddc": "8V"}
    Repository(example_repo).save(rel, data)
    before = (example_repo / rel).read_bytes()
    result = cli("--repo", example_repo, "share", "--library", "XS", "--type", "story", "--access", "read", "--yes",
                 "--format", "json")
    assert result.exit_code == 1, result.output
    out = json.loads(result.stdout)
    refused = [r for r in out["refused"] if r["id"] == "xs-truyen-de-men"]
    assert refused and "ddc-format" not in refused[0]["problems"][0] and "classification.ddc" in refused[0]["problems"][0]
    assert out["counts"]["changed"] >= 1 and out["written"] is True
    assert (example_repo / rel).read_bytes() == before
