"""Bad input never writes anything and always says what is wrong (exit 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from libsync.cli import create_app
from libsync.i18n import set_language

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def net(tmp_path, monkeypatch):
    monkeypatch.setenv("LIBSYNC_CACHE_DIR", str(tmp_path / "cache"))
    set_language("vi")
    root = tmp_path / "net"
    (root / "records" / "XS").mkdir(parents=True)
    shutil.copy(PROJECT / "network.yaml", root / "network.yaml")
    (root / "records/XS/r1.yaml").write_text(
        "id: r1\nlibrary: XS\ntype: textbook\ntitle: Toán 6\nitems:\n- barcode: XS-0001\n  status: available\n",
        encoding="utf-8")
    (tmp_path / "ok.txt").write_text("XS-0001\n", encoding="utf-8")
    yield root
    set_language("vi")


def run(root: Path, *args: str):
    return CliRunner().invoke(create_app(), ["--repo", str(root), *args])


def written(root: Path) -> list[str]:
    base = root / "inventories"
    return sorted(p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()) if base.exists() else []


def test_empty_scan(net, tmp_path):
    (tmp_path / "empty.txt").write_text("\n  \n", encoding="utf-8")
    result = run(net, "inventory", "record", "XS", str(tmp_path / "empty.txt"), "--label", "x")
    assert result.exit_code == 2
    assert "không có mã vạch nào" in result.output and "empty.txt" in result.output
    assert "Traceback" not in result.output
    assert written(net) == []


def test_wrong_encoding(net, tmp_path):
    (tmp_path / "win.txt").write_bytes("XS-0001\nKệ sách\n".encode("utf-16-le")[:-2] + b"\n")
    (tmp_path / "latin.txt").write_bytes(b"XS-0001\nXS-0002\n\xe9t\xe9\n")
    result = run(net, "inventory", "record", "XS", str(tmp_path / "latin.txt"), "--label", "x")
    assert result.exit_code == 2
    assert "latin.txt, dòng 3" in result.output and "0xE9" in result.output
    result = run(net, "inventory", "record", "XS", str(tmp_path / "win.txt"), "--label", "x")
    # UTF-16 is recognised without a BOM (issue #14 item 18); this one is cut off in the middle
    assert result.exit_code == 2 and "win.txt, dòng 2" in result.output and "utf-16-le" in result.output
    assert written(net) == []


def test_stray_spaces_and_control_characters_are_cleaned_with_warnings(net, tmp_path):
    (tmp_path / "noisy.txt").write_bytes(b"\x02 XS-0001 \x03\r\n\tXS-0002\r\n")
    result = run(net, "inventory", "record", "XS", str(tmp_path / "noisy.txt"), "--label", "x", "--date", "2024-10-01")
    assert result.exit_code == 0, result.output
    assert "dòng 1" in result.output  # the cleaning is reported, with the line
    text = (net / "inventories/XS/2024-10-01-x.yaml").read_text(encoding="utf-8")
    assert "- XS-0001\n- XS-0002\n" in text


def test_unknown_library(net, tmp_path):
    result = run(net, "inventory", "record", "QQ", str(tmp_path / "ok.txt"), "--label", "x")
    assert result.exit_code == 2 and "QQ" in result.output and "XS" in result.output
    assert written(net) == []
    assert run(net, "inventory", "check", "QQ", str(tmp_path / "ok.txt")).exit_code == 2


def test_snapshot_for_library_missing_from_network(net, tmp_path):
    assert run(net, "inventory", "record", "XS", str(tmp_path / "ok.txt"), "--label", "a", "--date", "2024-10-01").exit_code == 0
    path = net / "inventories/XS/2024-10-01-a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("library: XS", "library: QQ"), encoding="utf-8")
    result = run(net, "inventory", "show", "2024-10-01-a")
    assert result.exit_code == 1 and "QQ" in result.output and "path-mismatch" in result.output   # its folder says XS


def test_two_libraries_and_dates_in_wrong_order(net, tmp_path):
    assert run(net, "inventory", "record", "XS", str(tmp_path / "ok.txt"), "--label", "a", "--date", "2024-10-01").exit_code == 0
    assert run(net, "inventory", "record", "XS", str(tmp_path / "ok.txt"), "--label", "b", "--date", "2024-11-01").exit_code == 0
    assert run(net, "inventory", "record", "HD", str(tmp_path / "ok.txt"), "--label", "c", "--date", "2024-11-01").exit_code == 0
    result = run(net, "inventory", "diff", "XS/2024-10-01-a", "HD/2024-11-01-c")
    assert result.exit_code == 2 and "XS" in result.output and "HD" in result.output
    result = run(net, "inventory", "diff", "2024-11-01-b", "2024-10-01-a")
    assert result.exit_code == 2 and "2024-11-01" in result.output and "đổi chỗ" in result.output
    minutes = tmp_path / "bb.md"
    result = run(net, "inventory", "diff", "2024-11-01-b", "2024-10-01-a", "--minutes", str(minutes))
    assert result.exit_code == 2 and not minutes.exists()


def test_bad_date_existing_id_and_unknown_snapshot(net, tmp_path):
    result = run(net, "inventory", "record", "XS", str(tmp_path / "ok.txt"), "--label", "a", "--date", "2024-13-01")
    assert result.exit_code == 2 and "2024-13-01" in result.output
    assert written(net) == []
    assert run(net, "inventory", "record", "XS", str(tmp_path / "ok.txt"), "--label", "a", "--date", "2024-10-01").exit_code == 0
    before = written(net)
    (tmp_path / "other.txt").write_text("XS-0009\n", encoding="utf-8")
    result = run(net, "inventory", "record", "XS", str(tmp_path / "other.txt"), "--label", "a", "--date", "2024-10-01")
    assert result.exit_code == 2 and "2024-10-01-a" in result.output
    assert written(net) == before
    assert "XS-0009" not in (net / "inventories/XS/2024-10-01-a.yaml").read_text(encoding="utf-8")
    assert run(net, "inventory", "diff", "nope", "2024-10-01-a").exit_code == 2


def test_failed_raw_write_leaves_no_snapshot(net, tmp_path):
    (net / "inventories/XS").mkdir(parents=True)
    (net / "inventories/XS/raw").write_text("not a folder", encoding="utf-8")  # the raw scan cannot be stored
    result = run(net, "inventory", "record", "XS", str(tmp_path / "ok.txt"), "--label", "a", "--date", "2024-10-01")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert written(net) == ["inventories/XS/raw"]
    assert not list((net / "inventories/XS").glob(".*"))  # no temporary files left behind


def test_bad_minutes_extension_is_refused_before_work(net, tmp_path):
    assert run(net, "inventory", "record", "XS", str(tmp_path / "ok.txt"), "--label", "a", "--date", "2024-10-01").exit_code == 0
    result = run(net, "inventory", "check", "XS", str(tmp_path / "ok.txt"), "--minutes", str(tmp_path / "bb.pdf"))
    assert result.exit_code == 2 and "bb.pdf" in result.output
    assert not (tmp_path / "bb.pdf").exists()
    assert "XS-0001" not in result.stdout  # refused before any report was printed


def test_catalog_on_both_sides_needs_a_library(net):
    result = run(net, "inventory", "diff", "catalog", "catalog")
    assert result.exit_code == 2 and "--library" in result.output
    ok = run(net, "inventory", "diff", "catalog", "now", "--library", "XS", "--format", "json")
    assert ok.exit_code == 0, ok.output
    assert '"present": 1' in ok.stdout  # XS-0001 is on the shelf according to the catalogue, on both sides
