"""The hostile corpus: every case in ``tests/hostile/*.yaml`` runs one libsync command against a
private copy of the example network (optionally a Git repository) and checks its outcome.

A case (see tests/hostile/README.md for the whole format)::

    - id: writer-exponent-barcode        # unique in the corpus
      item: 4                             # the item of issue #14 (or another issue) it guards
      files: {records/XS/x.yaml: "..."}   # written into the repository copy first
      inputs: {t.csv: "..."}              # written outside the repository; {input} is that folder
      run: [export, csv, -o, "{tmp}/x.csv"]
      exit: 1
      expect: ["names the file"]          # substrings of the (English) output
      unchanged: true                     # the repository is byte-identical afterwards

Whatever a case says, every run is also checked for what must never happen: a traceback, an
"internal error", or temp/backup files left in the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import copy_example

HOSTILE = Path(__file__).resolve().parent / "hostile"
LEFTOVER_SUFFIXES = (".libsync-tmp", ".libsync-bak")


def _cases() -> list:
    found = []
    for file in sorted(HOSTILE.glob("*.yaml")):
        for case in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            found.append(pytest.param(case, id=f"{file.stem}:{case['id']}"))
    return found


def _content(spec) -> bytes:
    """A file's content: text, or {hex: ...}, or {text: ..., times: N}, or {bytes: "latin-1 text"}."""
    if isinstance(spec, str):
        return spec.encode("utf-8")
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "bytes" in spec:
        return spec["bytes"].encode("latin-1")
    text = spec.get("text", "")
    data = text.encode(spec.get("encoding", "utf-8"))
    return (spec.get("head", "").encode("utf-8") + data * int(spec.get("times", 1))
            + spec.get("tail", "").encode("utf-8"))


def _lay(folder: Path, files: dict) -> None:
    for rel, spec in (files or {}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, dict) and "symlink" in spec:
            if path.exists() or path.is_symlink():
                path.unlink()
            os.symlink(spec["symlink"], path)
        elif spec is None:
            if path.is_dir():
                import shutil

                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        else:
            path.write_bytes(_content(spec))


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root (Git's own folder excluded) with its bytes; symlinks by target."""
    seen: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in (".git", ".libsync")]   # Git's and libsync's state
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            seen[rel] = ("->" + os.readlink(path)).encode() if path.is_symlink() else path.read_bytes()
    return seen


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def _git_init(root: Path) -> None:
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Thủ thư")
    _git(root, "config", "user.email", "thuthu@example.edu.vn")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "example network")


def _subst(arg, tmp: Path, repo: Path, inputs: Path) -> str:
    if isinstance(arg, dict):  # a long argument, given like file content: {text: "toan ", times: 10000}
        arg = _content(arg).decode("utf-8")
    return str(arg).replace("{tmp}", str(tmp)).replace("{input}", str(inputs)).replace("{repo}", str(repo))


def _run(argv: list[str], repo: Path, env_extra: dict, pipe_head: int | None = None, timeout: float = 300):
    env = {**os.environ, "LIBSYNC_LANG": "en", "PYTHONIOENCODING": "utf-8", **env_extra}
    cmd = [sys.executable, "-c", "from libsync.cli import main; main()", "--repo", str(repo), *argv]
    if pipe_head is None:
        try:
            done = subprocess.run(cmd, capture_output=True, env=env, stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"libsync {' '.join(argv)[:200]} did not finish within {timeout} s")
        return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    # the consumer reads a few lines and goes away, as `| head -1` does
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL)
    for _ in range(pipe_head):
        proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    code = proc.wait(timeout=300)
    return code, "", err.decode("utf-8", "replace")


@pytest.mark.parametrize("case", _cases())
def test_hostile(case, tmp_path):
    repo = copy_example(tmp_path / "network")
    inputs = tmp_path / "input"
    inputs.mkdir()
    _lay(inputs, {k: v for k, v in (case.get("inputs") or {}).items()})
    for rel, spec in (case.get("outside") or {}).items():
        path = Path(_subst(rel, tmp_path, repo, inputs))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_content(spec))
    if case.get("git"):
        _git_init(repo)
    _lay(repo, case.get("files") or {})
    for rel, replacements in (case.get("edit") or {}).items():   # [[old, new], ...] in an existing file
        text = (repo / rel).read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"edit: {old!r} not in {rel}"
            text = text.replace(old, new, 1)
        (repo / rel).write_text(text, encoding="utf-8")
    if case.get("git") and case.get("commit_files"):
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "case files")
    env = {k: _subst(v, tmp_path, repo, inputs) for k, v in (case.get("env") or {}).items()}
    for step in case.get("before") or []:
        code, out, err = _run([_subst(a, tmp_path, repo, inputs) for a in step], repo, env)
        assert code == 0, f"set-up step {step} failed: {out}{err}"
    before = _snapshot(repo)
    index_before = _git(repo, "status", "--porcelain") if case.get("git") else None
    argv = [_subst(a, tmp_path, repo, inputs) for a in case["run"]]
    code, out, err = _run(argv, repo, env, case.get("pipe_head"), case.get("timeout", 300))
    text = out + err
    where = f"\n$ libsync {' '.join(argv)}\n--- exit {code}\n{text[-4000:]}"
    assert "Traceback" not in text, where
    assert "Internal libsync error" not in text, where
    expected_exit = case.get("exit", 0)
    allowed = expected_exit if isinstance(expected_exit, list) else [expected_exit]
    assert code in allowed, where
    for part in case.get("expect") or []:
        assert _subst(part, tmp_path, repo, inputs) in text, f"expected {part!r}" + where
    for part in case.get("reject") or []:
        assert _subst(part, tmp_path, repo, inputs) not in text, f"unexpected {part!r}" + where
    after = _snapshot(repo)
    leftovers = [p for p in after if p.endswith(LEFTOVER_SUFFIXES)]
    assert not leftovers, f"temporary files left behind: {leftovers}" + where
    if case.get("unchanged"):
        changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
        assert not changed, f"repository changed: {changed[:10]}" + where
        if index_before is not None:
            assert _git(repo, "status", "--porcelain") == index_before, "Git index changed" + where
    for rel, parts in (case.get("after") or {}).items():
        content = after.get(rel)
        if parts is None:
            assert content is None, f"{rel} should not exist" + where
            continue
        assert content is not None, f"{rel} missing" + where
        for part in parts if isinstance(parts, list) else [parts]:
            assert part in content.decode("utf-8", "replace"), f"{rel} lacks {part!r}" + where
    for rel, spec in (case.get("outside") or {}).items():   # files outside the repository left alone
        path = Path(_subst(rel, tmp_path, repo, inputs))
        assert path.read_bytes() == _content(spec), f"{path} was changed" + where
