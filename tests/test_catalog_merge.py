"""`libsync merge` on a copy of the example network: output, determinism, ids, explain, overrides."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import git
import yaml

from libsync.catalog import build_union
from libsync.repository import Repository


def _union(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _write_record(repo_root, data: dict) -> None:
    Repository(repo_root).save(Repository.record_relpath(data["library"], data["id"]), data)


def _cluster_of(union: dict, ref: str) -> dict:
    return next(c for c in union["clusters"] if any(f"{m['library']}/{m['record']}" == ref for m in c["members"]))


def test_merge_json_is_byte_identical_and_written_atomically(example_repo, cli, tmp_path):
    out1, out2 = tmp_path / "u1.json", tmp_path / "u2.json"
    r1 = cli("--repo", example_repo, "merge", "-o", out1)
    r2 = cli("--repo", example_repo, "merge", "--format", "json", "-o", out2)
    assert r1.exit_code == 0 and r2.exit_code == 0
    assert out1.read_bytes() == out2.read_bytes()
    union = json.loads(out1.read_text(encoding="utf-8"))
    assert union["network"]["id"] == "lien-thong-dong-trieu-thcs"
    assert [lib["code"] for lib in union["libraries"]] == ["HD", "ND", "XS"]
    shared = [c for c in union["clusters"] if len({m["library"] for m in c["members"]}) > 1]
    assert shared, "the example network holds titles in several libraries"
    for c in union["clusters"]:
        assert c["id"].startswith("c-") and len(c["id"]) == 14
        assert {h["library"] for h in c["holdings"]} == {m["library"] for m in c["members"]}
        assert all(0 <= h["available"] + h["away"] <= h["copies"] for h in c["holdings"])
    assert len({c["id"] for c in union["clusters"]}) == len(union["clusters"])
    # the text report summarises the same numbers, in Vietnamese by default
    text = cli("--repo", example_repo, "merge")
    assert f"→ {len(union['clusters'])} tên sách" in text.stdout


def test_three_libraries_holding_one_edition_become_one_cluster(example_repo, cli):
    base = {"type": "story", "title": "Tôi thấy hoa vàng trên cỏ xanh", "authors": ["Nguyễn Nhật Ánh"],
            "publisher": "NXB Trẻ", "year": 2018, "share": "network"}
    _write_record(example_repo, {**base, "id": "zz-hoa-vang", "library": "XS", "isbn": "978-604-1-08525-5",
                                 "subjects": ["Văn học thiếu nhi"],
                                 "items": [{"barcode": "XS-ZZ-1", "status": "available"},
                                           {"barcode": "XS-ZZ-2", "status": "at-partner", "holder": "HD"}]})
    _write_record(example_repo, {**base, "id": "zz-hoa-vang-2", "library": "HD", "isbn": "6041085251",
                                 "keywords": ["Tuổi thơ"], "items": [{"barcode": "HD-ZZ-1", "status": "on-loan"}]})
    nfd = {k: unicodedata.normalize("NFD", v) if isinstance(v, str) else v for k, v in base.items()}
    nfd["title"] = unicodedata.normalize("NFD", "Tôi thấy hoa vàng trên cỏ xanh")
    _write_record(example_repo, {**nfd, "id": "zz-hoa-vang-3", "library": "ND",
                                 "items": [{"barcode": "ND-ZZ-1", "status": "available"},
                                           {"barcode": "ND-ZZ-2", "status": "lost"}]})
    union = _union(cli("--repo", example_repo, "merge", "--format", "json"))
    cluster = _cluster_of(union, "XS/zz-hoa-vang")
    assert [m["library"] for m in cluster["members"]] == ["HD", "ND", "XS"]
    assert cluster["isbn"] == "978-604-1-08525-5"
    assert cluster["subjects"] == ["Văn học thiếu nhi"] and cluster["keywords"] == ["Tuổi thơ"]
    assert cluster["holdings"] == [
        {"library": "HD", "copies": 1, "available": 0, "away": 0},
        {"library": "ND", "copies": 1, "available": 1, "away": 0},
        {"library": "XS", "copies": 2, "available": 1, "away": 1},
    ]
    explained = cli("--repo", example_repo, "merge", "--explain", "ND/zz-hoa-vang-3")
    assert explained.exit_code == 0
    assert cluster["id"] in explained.stdout and "mô tả trùng khớp" in explained.stdout
    as_json = _union(cli("--repo", example_repo, "merge", "--explain", cluster["id"], "--format", "json"))
    assert {e["rule"] for e in as_json["evidence"]} <= {"isbn", "exact", "fuzzy"}
    assert len(as_json["evidence"]) == 2


def test_cluster_id_survives_a_new_member_and_other_ids_do_not_move(example_repo):
    repo = Repository(example_repo)
    before = build_union(repo)
    isbn_cluster = next(c for c in before["clusters"] if c.get("isbn") and len(c["members"]) == 1)
    member = isbn_cluster["members"][0]
    original = repo.load(Repository.record_relpath(member["library"], member["record"]))
    other_lib = next(code for code in ("XS", "HD", "ND") if code != member["library"])
    copy = {**original, "id": "zz-new-member", "library": other_lib, "share": "network", "items": []}
    _write_record(example_repo, copy)
    after = build_union(Repository(example_repo))
    moved = _cluster_of(after, f"{other_lib}/zz-new-member")
    assert moved["id"] == isbn_cluster["id"]
    assert len(moved["members"]) == 2
    assert {c["id"] for c in before["clusters"]} == {c["id"] for c in after["clusters"]}


def test_overrides_are_validated_and_honoured(example_repo, cli):
    base = {"type": "reference", "title": "Sổ tay kiến thức Vật lí THCS", "authors": ["Lê Văn Thông"],
            "share": "network"}
    _write_record(example_repo, {**base, "id": "zz-so-tay", "library": "XS"})
    _write_record(example_repo, {**base, "id": "zz-so-tay", "library": "HD", "title": "Sổ tay kiến thức Vật lý THCS"})
    _write_record(example_repo, {**base, "id": "zz-khac", "library": "ND", "title": "Bồi dưỡng học sinh giỏi Vật lí 9"})
    union = _union(cli("--repo", example_repo, "merge", "--format", "json"))
    assert _cluster_of(union, "XS/zz-so-tay") is _cluster_of(union, "HD/zz-so-tay")
    (example_repo / "catalog").mkdir(exist_ok=True)
    overrides = example_repo / "catalog" / "overrides.yaml"
    overrides.write_text(
        "never_merge:\n- records: [XS/zz-so-tay, HD/zz-so-tay]\n  reason: Khác lần in\n"
        "always_merge:\n- records: [ND/zz-khac, XS/zz-so-tay]\n  by: thuvien-xuanson\n  date: '2025-01-10'\n",
        encoding="utf-8")
    union = _union(cli("--repo", example_repo, "merge", "--format", "json"))
    joined = _cluster_of(union, "XS/zz-so-tay")
    assert {f"{m['library']}/{m['record']}" for m in joined["members"]} == {"ND/zz-khac", "XS/zz-so-tay"}
    assert _cluster_of(union, "HD/zz-so-tay")["id"] != joined["id"]
    assert any(u["records"] == ["HD/zz-so-tay", "XS/zz-so-tay"] and "never-merge" in u["reasons"]
               for u in union["uncertain"])
    explained = cli("--repo", example_repo, "merge", "--explain", joined["id"])
    assert "catalog/overrides.yaml" in explained.stdout
    # a broken file stops the merge with file and line, exit 2
    overrides.write_text("never_merge:\n- records: [XS/zz-so-tay]\n", encoding="utf-8")
    bad = cli("--repo", example_repo, "merge")
    assert bad.exit_code == 2
    assert "catalog/overrides.yaml:2" in bad.output
    overrides.write_text("never_merge:\n- records: [XS/a, HD/b]\nalways_merge:\n- records: [HD/b, XS/a]\n",
                         encoding="utf-8")
    contradiction = cli("--repo", example_repo, "--lang", "en", "merge")
    assert contradiction.exit_code == 2 and "catalog/overrides.yaml:4" in contradiction.output
    assert "Traceback" not in contradiction.output


def test_invalid_record_is_skipped_named_and_exit_1(example_repo, cli):
    bad = example_repo / "records" / "HD" / "zz-hong.yaml"
    bad.write_text("id: zz-hong\nlibrary: HD\ntype: story\ntitle: Truyện hỏng\nyear: hai nghìn\nshare: network\n",
                   encoding="utf-8")
    broken = example_repo / "records" / "ND" / "zz-cu-phap.yaml"
    broken.write_text("id: zz-cu-phap\ntitle: [không đóng\n", encoding="utf-8")
    result = cli("--repo", example_repo, "merge", "--format", "json")
    assert result.exit_code == 1
    assert "records/HD/zz-hong.yaml:5" in result.stderr
    assert "records/ND/zz-cu-phap.yaml:" in result.stderr
    union = json.loads(result.stdout)
    assert not any(m["record"] in ("zz-hong", "zz-cu-phap") for c in union["clusters"] for m in c["members"])


def test_usage_errors_have_messages_not_tracebacks(example_repo, cli):
    r = cli("--repo", example_repo, "merge", "--audience", "QQ")
    assert r.exit_code == 2 and "QQ" in r.output and "Traceback" not in r.output
    r = cli("--repo", example_repo, "merge", "--format", "xml")
    assert r.exit_code == 2
    r = cli("--repo", example_repo, "--lang", "en", "merge", "--explain", "c-000000000000")
    assert r.exit_code == 2 and "No cluster or record c-000000000000" in r.output
    r = cli("--repo", example_repo, "merge", "--uncertain", "--format", "json")
    assert set(json.loads(r.stdout)) == {"audience", "conflicts", "uncertain"}


def test_merge_and_search_leave_a_git_checkout_clean(example_repo, tmp_path):
    """In a real clone of a network repository, building the catalogue dirties nothing."""
    work = git.Repo.init(example_repo)
    work.git.add("--all")
    work.git.commit("-m", "mạng liên thông", "--author", "Thư viện <tv@example.vn>")
    bare = tmp_path / "remote.git"
    git.Repo.init(bare, bare=True)
    work.create_remote("origin", str(bare)).push(work.active_branch.name)
    clone = git.Repo.clone_from(str(bare), tmp_path / "clone")
    root = clone.working_tree_dir
    env_run = [sys.executable, "-m", "libsync", "--repo", root]
    first = subprocess.run([*env_run, "merge", "--format", "json"], capture_output=True, check=True)
    subprocess.run([*env_run, "search", "toan 6"], capture_output=True, check=True)
    second = subprocess.run([*env_run, "merge", "--format", "json"], capture_output=True, check=True)
    assert first.stdout == second.stdout
    assert clone.git.status("--porcelain", "--untracked-files=all") == ""
    assert yaml.safe_load(first.stdout)["clusters"]


EXAMPLE_CLUSTERS = {  # the deliberate cataloguing variants of the example network (docs/example-network.md)
    "HD/hd-truyen-tuoi-tho-1": {"XS/xs-truyen-tuoi-tho-1"},                          # ISBN-10 vs 13
    "ND/nd-truyen-de-men": {"HD/hd-truyen-de-men", "XS/xs-truyen-de-men"},            # ISBN with spaces, kí/ký
    "HD/hd-ls-dl-7-kntt": {"XS/xs-ls-dl-7-kntt"},                                    # Địa lý / Địa lí
    "ND/nd-tk-so-tay-vat-li": {"XS/xs-tk-so-tay-vat-li"},                            # Vật lý / Vật lí
    "HD/hd-truyen-ve-tuoi-tho": {"XS/xs-truyen-ve-tuoi-tho"},                        # Telex typo
    "ND/nd-toan-6-kntt-t2": {"XS/xs-toan-6-kntt-t2"},                                # missing ISBN
    "HD/hd-tieng-anh-6-gs-t1": {"XS/xs-tieng-anh-6-gs-t1"},                          # series in the title
    "HD/hd-tk-tu-dien-av": {"XS/xs-tk-tu-dien-av"},                                  # punctuation
}


def test_example_network_variants_merge_and_textbooks_stay_apart(example_repo):
    union = build_union(Repository(example_repo), "network")
    for ref, others in EXAMPLE_CLUSTERS.items():
        members = {f"{m['library']}/{m['record']}" for m in _cluster_of(union, ref)["members"]}
        assert members == {ref} | others, ref
    for c in union["clusters"]:  # never two volumes, series, grades or types in one cluster
        recs = [Repository(example_repo).load(Repository.record_relpath(m["library"], m["record"]))
                for m in c["members"]]
        assert len({r.get("type") for r in recs}) == 1, c["id"]
        assert len({(r.get("curriculum") or {}).get("grade") for r in recs} - {None}) <= 1, c["id"]
        assert len({(r.get("curriculum") or {}).get("series") for r in recs} - {None}) <= 1, c["id"]
