"""validate on the example network and on real Git repositories: clean run, --changed-since,
the cache (reuse, never hiding an error, invalidation), report formats."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import git

from libsync.validation import validate
from libsync.validation import report as reports

PROJECT = Path(__file__).resolve().parent.parent


def commit_all(repo_dir: Path, message: str = "snapshot") -> git.Repo:
    repo = git.Repo.init(repo_dir, initial_branch="main") if not (repo_dir / ".git").exists() else git.Repo(repo_dir)
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "Thủ thư Xuân Sơn")
        cfg.set_value("user", "email", "thuvien@example.invalid")
    repo.git.add("--all")
    repo.git.commit("-m", message)
    return repo


def test_example_network_validates_clean(cli):
    result = cli("--repo", PROJECT, "validate", "--no-cache")
    assert result.exit_code == 0, result.stdout
    assert "không có lỗi" in result.stdout
    assert "200 tệp" in result.stdout or int(result.stdout.split("kiểm tra ")[1].split(" ")[0]) >= 150


def test_example_network_has_150_records_and_the_october_exchange():
    records = list((PROJECT / "records").glob("*/*.yaml"))
    assert len(records) >= 150
    libs = {p.parent.name for p in records}
    assert libs == {"XS", "HD", "ND"}
    manifests = list((PROJECT / "exchanges" / "2024-2025" / "HK1").glob("*.yaml"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in manifests)
    assert "to: HD" in text and "to: ND" in text and "2024-10" in text


def test_json_report_shape(example_repo, cli):
    bad = example_repo / "records/XS/sai-isbn.yaml"
    src = next((example_repo / "records/XS").glob("*.yaml")).read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(src)
    data["id"] = "sai-isbn"
    data["isbn"] = "978-604-0-00000-1"
    for item in data.get("items", []):
        item["barcode"] += "-SAI"
    from libsync import schemas, yamlio

    bad.write_text(yamlio.dump(data, schemas.load_schema("record")), encoding="utf-8")
    result = cli("--repo", example_repo, "validate", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert set(payload) == {"ok", "files_checked", "errors", "warnings"}
    assert payload["ok"] is False and payload["files_checked"] > 150
    error = payload["errors"][0]
    assert set(error) == {"file", "line", "column", "rule", "message", "pointer"}
    assert error["rule"] == "isbn-checksum" and error["pointer"] == "/isbn" and error["file"] == "records/XS/sai-isbn.yaml"


def test_github_annotations_are_escaped_and_followed_by_text(example_repo, cli):
    path = example_repo / "records/XS/a,b:c.yaml"
    path.write_text("id: a\nlibrary: XS\ntype: story\ntitle: '100%\n", encoding="utf-8")
    result = cli("--repo", example_repo, "validate", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    annotation = next(line for line in lines if line.startswith("::error "))
    assert "file=records/XS/a%2Cb%3Ac.yaml" in annotation
    assert ",line=" in annotation and ",col=" in annotation
    assert any(line.startswith("records/XS/a,b:c.yaml:") for line in lines)  # the full text report too
    assert lines[-2].startswith("Đã kiểm tra") and lines[-1].startswith("::")   # commands resume after the report


def test_escaping_follows_the_actions_toolkit():
    assert reports._escape_data("50%\r\nx") == "50%25%0D%0Ax"
    assert reports._escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_changed_since_checks_only_changed_files_but_sees_the_whole_repository(example_repo, cli):
    repo = commit_all(example_repo)
    # an untouched file that is already wrong is not reported …
    untouched = sorted((example_repo / "records/HD").glob("*.yaml"))[0]
    untouched.write_text(untouched.read_text(encoding="utf-8").replace("type:", "type: textbook\nxyz: 1\nkind:", 1), encoding="utf-8")
    repo.git.add("--all")
    repo.git.commit("-m", "an old mistake")
    base = repo.head.commit.hexsha
    # … while a new file that duplicates a barcode of an unchanged file is.
    existing = sorted((example_repo / "records/ND").glob("*.yaml"))[0]
    import yaml

    other = yaml.safe_load(existing.read_text(encoding="utf-8"))
    barcode = other["items"][0]["barcode"]
    new = example_repo / "records/XS/moi-nhap.yaml"
    new.write_text(
        "id: moi-nhap\nlibrary: XS\ntype: story\ntitle: Sách mới nhập\nshare: internal\nitems:\n"
        f"- barcode: {barcode}\n  status: available\n", encoding="utf-8")
    result = cli("--repo", example_repo, "validate", "--changed-since", base, "--format", "json")
    payload = json.loads(result.stdout)
    assert result.exit_code == 1
    assert payload["files_checked"] == 1
    # the new file's duplicate, and (cross-file problems are reported wherever the change shows
    # them, issue #14 item 12) the unchanged file it duplicates; not the old schema mistake
    assert [(e["file"], e["rule"]) for e in payload["errors"]] == [
        (existing.relative_to(example_repo).as_posix(), "duplicate-barcode"), ("records/XS/moi-nhap.yaml", "duplicate-barcode")]
    assert payload["errors"][1]["line"] == 7
    # a bad ref is a usage error
    bad = cli("--repo", example_repo, "validate", "--changed-since", "khong-co-nhanh-nay")
    assert bad.exit_code == 2 and "khong-co-nhanh-nay" in bad.output


def test_changed_since_against_a_remote_branch(tmp_path, example_repo):
    """What the pull-request check does: clone, branch, change, compare with origin/main."""
    commit_all(example_repo)
    bare = tmp_path / "remote.git"
    git.Repo(example_repo).clone(bare, bare=True)
    clone = git.Repo.clone_from(bare, tmp_path / "clone")
    with clone.config_writer() as cfg:
        cfg.set_value("user", "name", "Thủ thư Hưng Đạo")
        cfg.set_value("user", "email", "hd@example.invalid")
    clone.git.checkout("-b", "sua-bieu-ghi")
    target = sorted(Path(clone.working_dir, "records/HD").glob("*.yaml"))[1]
    target.write_text(target.read_text(encoding="utf-8").replace("share: ", "share: everyone\nold_share: ", 1), encoding="utf-8")
    clone.git.commit("-am", "sửa biểu ghi")
    result = validate(clone.working_dir, changed_since="origin/main")
    assert result.files_checked == 1
    assert {p.rule for p in result.errors} >= {"schema-enum", "schema-unknown-field"}
    assert all(p.file == target.relative_to(clone.working_dir).as_posix() for p in result.errors)


def test_cache_reuses_and_never_hides_an_error(example_repo):
    first = validate(example_repo)
    assert first.ok and first.parsed == first.reused + first.parsed and first.reused == 0
    second = validate(example_repo)
    assert second.ok and second.parsed == 0 and second.reused > 150
    # an edit that keeps the size and the mtime cannot fool the cache: it hashes racy files
    path = sorted((example_repo / "records/XS").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    broken = text.replace("type: ", "type: X", 1)
    broken = broken.replace("library: XS", "library: X", 1)  # same length as before
    assert len(broken.encode()) == len(text.encode())
    path.write_text(broken, encoding="utf-8")
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    third = validate(example_repo)
    assert not third.ok and third.parsed >= 1
    # the error stays reported on every later run, from the cache as well
    fourth = validate(example_repo)
    assert [p.rule for p in fourth.errors] == [p.rule for p in third.errors] and fourth.parsed == 0
    # and a fixed file is clean again
    path.write_text(text, encoding="utf-8")
    assert validate(example_repo).ok


def test_cross_file_errors_are_not_hidden_by_the_cache(example_repo):
    assert validate(example_repo).ok
    other = sorted((example_repo / "records/ND").glob("*.yaml"))[0]
    import yaml

    barcode = yaml.safe_load(other.read_text(encoding="utf-8"))["items"][0]["barcode"]
    (example_repo / "records/XS/trung.yaml").write_text(
        f"id: trung\nlibrary: XS\ntype: story\ntitle: Trùng\nitems:\n- barcode: {barcode}\n  status: available\n",
        encoding="utf-8")
    for _ in range(2):  # second time from the cache
        result = validate(example_repo)
        assert {p.file for p in result.errors} == {"records/XS/trung.yaml", other.relative_to(example_repo).as_posix()}


def test_a_changed_schema_or_code_drops_the_cache(example_repo, monkeypatch):
    assert validate(example_repo).parsed > 0
    assert validate(example_repo).parsed == 0          # everything from the cache
    from libsync.validation import gate

    monkeypatch.setattr(gate, "_fingerprint", "another-schema")   # another libsync, or another schema
    again = validate(example_repo)
    assert again.reused == 0 and again.parsed > 0


def test_no_cache_bypasses_and_writes_nothing(example_repo, tmp_path, monkeypatch):
    cache_dir = tmp_path / "own-cache"
    monkeypatch.setenv("LIBSYNC_CACHE_DIR", str(cache_dir))
    result = validate(example_repo, use_cache=False)
    assert result.ok and not cache_dir.exists()
    validate(example_repo)
    assert any(cache_dir.rglob("exam-*.sqlite")) and any(cache_dir.rglob("validate-result-*.json"))
    # the repository itself never gets a cache file
    assert not list(example_repo.rglob("validate-*.json"))


def test_paths_argument_narrows_the_check(example_repo, cli):
    result = cli("--repo", example_repo, "validate", "records/XS", "--format", "json")
    payload = json.loads(result.stdout)
    assert result.exit_code == 0
    assert payload["files_checked"] == len(list((example_repo / "records/XS").glob("*.yaml")))
    outside = cli("--repo", example_repo, "validate", "/etc/hostname")
    assert outside.exit_code == 2


def test_parallel_and_serial_agree(example_repo, monkeypatch):
    shutil.copytree(PROJECT / "tests/data/broken/duplicate-barcode/records/XS", example_repo / "records/XS", dirs_exist_ok=True)
    serial = validate(example_repo, use_cache=False, workers=1)
    from libsync.store import read

    monkeypatch.setattr(read, "PARALLEL_FROM", 1)
    monkeypatch.setattr(read, "CHUNK", 5)
    parallel = validate(example_repo, use_cache=False, workers=2)
    assert [p.to_dict() for p in serial.problems] == [p.to_dict() for p in parallel.problems]
    assert serial.errors


def test_repo_discovery_from_a_subfolder_and_env(example_repo, monkeypatch):
    monkeypatch.chdir(example_repo / "records" / "XS")
    run = subprocess.run(["python3", "-m", "libsync", "validate", "--format", "json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    monkeypatch.chdir(example_repo.parent)
    monkeypatch.setenv("LIBSYNC_REPO", str(example_repo))
    run = subprocess.run(["python3", "-m", "libsync", "--lang", "en", "validate"], capture_output=True, text=True)
    assert run.returncode == 0 and "Valid, no errors" in run.stdout


def test_data_files_lists_every_governed_file_and_nothing_else(example_repo):
    from libsync.repository import Repository

    (example_repo / "catalog").mkdir(exist_ok=True)
    (example_repo / "catalog/overrides.yaml").write_text("never_merge: []\n", encoding="utf-8")
    (example_repo / "catalog/ghi-chu.yaml").write_text("x: 1\n", encoding="utf-8")
    (example_repo / "records/XS/.an.yaml").write_text("x: 1\n", encoding="utf-8")
    (example_repo / "records/XS/doc-toi.txt").write_text("x\n", encoding="utf-8")
    (example_repo / "inventories/XS/raw/quet.yaml").parent.mkdir(parents=True, exist_ok=True)
    (example_repo / "inventories/XS/raw/quet.yaml").write_text("x: 1\n", encoding="utf-8")
    repo = Repository(example_repo)
    files = repo.data_files()
    assert "catalog/overrides.yaml" in files and "network.yaml" in files
    assert not any(f.endswith(("ghi-chu.yaml", ".an.yaml", "doc-toi.txt", "raw/quet.yaml")) for f in files)
    assert repo.data_files(("overrides",)) == ["catalog/overrides.yaml"]
    assert all(f.startswith("records/") for f in repo.data_files(("record",)))
    assert files == sorted(files)
