"""Atomic writes: all files or none, modes kept, temp files cleaned up — on the real file system."""

from __future__ import annotations

import os
import stat

import pytest

from libsync.atomic import Transaction, write_atomic
from libsync.errors import LibsyncError


def test_write_atomic_keeps_mode_and_leaves_no_temp(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("cũ\n", encoding="utf-8")
    os.chmod(path, 0o640)
    write_atomic(path, "mới\n")
    assert path.read_text(encoding="utf-8") == "mới\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize("obstacle", ["folder-in-the-way", "parent-is-a-file"])
def test_transaction_all_or_nothing(tmp_path, count, obstacle):
    files = [tmp_path / f"r{i}.yaml" for i in range(count)]
    for i, f in enumerate(files):
        f.write_text(f"bản cũ {i}\n", encoding="utf-8")
    if obstacle == "folder-in-the-way":
        bad = tmp_path / "x.yaml"
        bad.mkdir()
    else:
        (tmp_path / "tep").write_text("không phải thư mục\n")
        bad = tmp_path / "tep" / "x.yaml"
    tx = Transaction()
    for i, f in enumerate(files):
        tx.write(f, f"bản mới {i}\n")
    tx.write(bad, "không được\n")
    with pytest.raises(LibsyncError):
        tx.commit()
    assert [f.read_text(encoding="utf-8") for f in files] == [f"bản cũ {i}\n" for i in range(count)]
    leftovers = [p.name for p in tmp_path.rglob("*") if "libsync-" in p.name]
    assert leftovers == []


def test_transaction_writes_and_deletes_together(tmp_path):
    keep, gone, new = tmp_path / "keep.yaml", tmp_path / "gone.yaml", tmp_path / "sub" / "new.yaml"
    keep.write_text("1\n")
    gone.write_text("2\n")
    with Transaction() as tx:
        tx.write(keep, "1 mới\n")
        tx.delete(gone)
        tx.write(new, "3\n")
    assert keep.read_text() == "1 mới\n" and not gone.exists() and new.read_text() == "3\n"


def test_exception_inside_the_block_discards(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("cũ\n")
    with pytest.raises(RuntimeError):
        with Transaction() as tx:
            tx.write(path, "mới\n")
            raise RuntimeError("dừng")
    assert path.read_text() == "cũ\n"
