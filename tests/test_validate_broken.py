"""The broken-file corpus: each file breaks one rule and must be reported at the right
file:line with the right rule id, exit 1, no traceback, nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "data" / "broken"

# case folder -> (file, line, rule, severity)
EXPECTED = {
    "schema-required": ("records/XS/thieu-nhan-de.yaml", 1, "schema-required", "error"),
    "schema-type": ("records/XS/nam-sai-kieu.yaml", 9, "schema-type", "error"),
    "schema-unknown-field": ("records/XS/truong-la.yaml", 9, "schema-unknown-field", "error"),
    "schema-enum": ("records/XS/trang-thai-sai.yaml", 18, "schema-enum", "error"),
    "unsafe-id": ("records/XS/ma-nguy-hiem.yaml", 1, "unsafe-id", "error"),
    "path-mismatch": ("records/XS/ten-tep-khac.yaml", 1, "path-mismatch", "error"),
    "duplicate-barcode": ("records/XS/ban-b.yaml", 17, "duplicate-barcode", "error"),
    "isbn-checksum": ("records/XS/isbn-sai.yaml", 10, "isbn-checksum", "error"),
    "issn-checksum": ("records/XS/issn-sai.yaml", 10, "issn-checksum", "error"),
    "unknown-library": ("records/ZZ/thu-vien-la.yaml", 2, "unknown-library", "error"),
    "art28-incomplete": ("records/XS/thieu-ky-hieu.yaml", 13, "art28-incomplete", "error"),
    "date-invalid": ("records/XS/ngay-sai.yaml", 19, "date-invalid", "error"),
    "holder-status": ("records/XS/noi-giu.yaml", 18, "holder-status", "error"),
    "duplicate-id": ("records/XS/trung-ma.yaml", 1, "duplicate-id", "error"),
    "duplicate-key": ("records/XS/khoa-lap.yaml", 10, "duplicate-key", "error"),
    "text-nfc": ("records/XS/chu-nfd.yaml", 4, "text-nfc", "warning"),
    "yaml-alias": ("records/XS/bom-alias.yaml", 1, "yaml-alias", "error"),
    "merge-conflict": ("records/XS/xung-dot.yaml", 9, "merge-conflict", "error"),
    "bom": ("records/XS/co-bom.yaml", 1, "bom", "error"),
    "encoding": ("records/XS/ma-1258.yaml", 4, "encoding", "error"),
    "tab-indent": ("records/XS/co-tab.yaml", 18, "tab-indent", "error"),
    "truncated": ("records/XS/bi-cat.yaml", 15, "truncated", "error"),
    "truncated-quote": ("records/XS/cat-nhay.yaml", 4, "yaml-syntax", "error"),
    "missing-colon": ("records/XS/thieu-hai-cham.yaml", 3, "yaml-syntax", "error"),   # PyYAML marks line 4
    "empty-file": ("records/XS/rong.yaml", 1, "empty-file", "error"),
    "control-character": ("records/XS/ky-tu-la.yaml", 4, "control-character", "error"),
    "not-a-mapping": ("records/XS/danh-sach.yaml", 1, "schema-type", "error"),
    "unknown-record": ("exchanges/2024-2025/HK1/lc-khong-co-sach.yaml", 12, "unknown-record", "error"),
    "unknown-copy": ("exchanges/2024-2025/HK1/lc-sai-ban.yaml", 11, "unknown-copy", "error"),
    "copy-in-two-exchanges": ("exchanges/2024-2025/HK1/lc-hai.yaml", 11, "copy-in-two-exchanges", "error"),
    "date-order": ("exchanges/2024-2025/HK1/lc-nguoc-ngay.yaml", 9, "date-order", "error"),
    "exchange-copy-state": ("exchanges/2024-2025/HK1/lc-da-gui.yaml", 11, "exchange-copy-state", "error"),
    "history-status": ("exchanges/2024-2025/HK1/lc-lich-su.yaml", 6, "history-status", "error"),
    "term-path": ("exchanges/2024-2025/HK2/lc-sai-thu-muc.yaml", 2, "term-path", "error"),
    "unknown-term": ("exchanges/2024-2025/HK3/lc-hoc-ky-la.yaml", 2, "unknown-term", "error"),
    "same-library": ("exchanges/2024-2025/HK1/lc-cung-truong.yaml", 5, "same-library", "error"),
}


def overlay(repo: Path, case: str) -> list[Path]:
    written = []
    for src in sorted((BROKEN / case).rglob("*")):
        if src.is_file():
            dest = repo / src.relative_to(BROKEN / case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            written.append(dest)
    return written


def snapshot(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()}


def test_every_case_has_an_expectation():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_file_is_reported_at_its_line(case, example_repo, cli):
    overlay(example_repo, case)
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "validate", "--format", "json")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    report = json.loads(result.stdout)
    file, line, rule, severity = EXPECTED[case]
    bucket = report["errors"] if severity == "error" else report["warnings"]
    hits = [p for p in bucket if p["file"] == file and p["rule"] == rule]
    assert hits, f"{rule} not reported for {file}: {report}"
    assert hits[0]["line"] == line, hits
    assert hits[0]["message"] and "Traceback" not in result.output
    assert result.exit_code == (1 if severity == "error" else 0)
    # nothing ever written by validate
    assert snapshot(example_repo) == before


def test_text_report_names_file_line_and_rule(example_repo, cli):
    overlay(example_repo, "isbn-checksum")
    result = cli("--repo", example_repo, "validate")
    assert result.exit_code == 1
    assert "records/XS/isbn-sai.yaml:10:7: lỗi [isbn-checksum] ISBN '978-604-2-12345-9' sai số kiểm tra" in result.stdout


def test_english_messages(example_repo, cli):
    overlay(example_repo, "schema-unknown-field")
    result = cli("--repo", example_repo, "--lang", "en", "validate")
    assert result.exit_code == 1
    assert "Unknown field: 'tac_gia'" in result.stdout
    assert "Files checked: " in result.stdout and "errors: 1," in result.stdout   # no "1 errors"


def test_unquoted_leading_zero_barcode_stays_text_in_the_message(example_repo, cli):
    path = example_repo / "records/XS/so-khong.yaml"
    path.write_text((BROKEN / "schema-enum/records/XS/trang-thai-sai.yaml").read_text(encoding="utf-8")
                    .replace("trang-thai-sai", "so-khong").replace("status: cho-muon", "status: available")
                    .replace("barcode: XS-TEST-00001", "barcode: 00123"), encoding="utf-8")
    result = cli("--repo", example_repo, "validate", "--format", "json", "records/XS/so-khong.yaml")
    assert result.exit_code == 0, result.stdout   # YAML 1.2 style: 00123 is text, not octal 83


def test_twenty_megabyte_file(example_repo, cli):
    big = example_repo / "records/XS/qua-lon.yaml"
    big.write_bytes(b"id: qua-lon\nnotes: '" + b"x" * (20 * 1024 * 1024) + b"'\n")
    result = cli("--repo", example_repo, "validate", "--format", "json", "records/XS/qua-lon.yaml")
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert errors[0]["rule"] == "file-too-large" and errors[0]["line"] == 1


def test_alias_bomb_is_refused_quickly(example_repo, cli):
    overlay(example_repo, "yaml-alias")
    import time

    start = time.perf_counter()
    result = cli("--repo", example_repo, "validate", "records/XS/bom-alias.yaml")
    assert result.exit_code == 1
    assert time.perf_counter() - start < 10


def test_subprocess_has_no_traceback_and_exit_codes(example_repo):
    overlay(example_repo, "merge-conflict")
    run = subprocess.run([sys.executable, "-m", "libsync", "--repo", str(example_repo), "validate"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert "xung đột Git" in run.stdout
    usage = subprocess.run([sys.executable, "-m", "libsync", "validate", "--format", "xml"],
                           capture_output=True, text=True, cwd=example_repo)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    nowhere = subprocess.run([sys.executable, "-m", "libsync", "validate"], capture_output=True, text=True,
                             cwd=example_repo.parent)
    assert nowhere.returncode == 2 and "network.yaml" in nowhere.stderr
