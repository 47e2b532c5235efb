"""#15 item 9: `exchange propose --help` describes the id it generates; a broken record file used
by an exchange is reported as that file, not as an unknown record."""

from __future__ import annotations

import re

import yaml

from libsync.i18n import t
from libsync.rotation.schedule import exchange_id
from test_rotation_support import git_network, snapshot

EID = "xs-hd-2024-2025-hk1-rt-xs-sgk6"


def _propose(cli, root, *extra):
    return cli("--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD",
               "--batch", "rt-xs-sgk6", "--handover", "2024-10-07", "--return-due", "2025-01-17",
               "--date", "2024-09-30", "--no-branch", *extra)


def test_propose_help_describes_the_id_it_generates(tmp_path, cli):
    root, _ = git_network(tmp_path)
    r = _propose(cli, root)
    assert r.exit_code == 0, r.output
    made = yaml.safe_load((root / "exchanges" / "2024-2025" / "HK1" / f"{EID}.yaml").read_text(encoding="utf-8"))["id"]
    assert f"Phiếu {made}:" in r.output
    assert made == EID == exchange_id("XS", "HD", "2024-2025/HK1", "rt-xs-sgk6")
    for lang in ("vi", "en"):
        text = t("help.exchange.new_id", lang)
        assert made in text                                        # the example is what propose makes
        assert "“ds”" in text and exchange_id("XS", "HD", "2024-2025/HK1", "ds").endswith("-ds")
    helped = cli("exchange", "propose", "--help")
    flat = re.sub(r"[\s│]+", "", helped.output)               # the help wraps in a box
    assert re.sub(r"\s+", "", f"bên giao-bên nhận-học kỳ-bộ, chữ thường, ví dụ {made}") in flat
    assert "họckỳ-bộ-bênnhận" not in flat                      # the old, wrong description


def test_broken_record_file_reported_as_such_in_validate_and_the_exchange(tmp_path, cli):
    root, _ = git_network(tmp_path)
    assert _propose(cli, root).exit_code == 0
    assert cli("--repo", root, "exchange", "approve", EID, "--date", "2024-10-01").exit_code == 0
    record = root / "records" / "XS" / "rt-xs-sgk6-1.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("title: Toán 6", "title: Toán 6\n  bad: [unclosed"),
                      encoding="utf-8")
    r = cli("--repo", root, "validate")
    assert r.exit_code == 1
    assert "unknown-record" not in r.output and "không có ở thư viện" not in r.output
    unreadable = [line for line in r.output.splitlines() if "[record-unreadable]" in line]
    assert len(unreadable) == 1                                  # once for the record, not per copy
    assert unreadable[0].startswith(f"exchanges/2024-2025/HK1/{EID}.yaml:")
    assert "records/XS/rt-xs-sgk6-1.yaml" in unreadable[0]
    assert any(line.startswith("records/XS/rt-xs-sgk6-1.yaml:") and "yaml-syntax" in line
               for line in r.output.splitlines())
    # the exchange steps and minutes name the broken file (exit 2) and write nothing
    files = snapshot(root)
    for args in (("dispatch", EID, "--date", "2024-10-07"), ("cancel", EID), ("minutes", EID, "-o", tmp_path / "b.md")):
        r = cli("--repo", root, "exchange", *args)
        assert r.exit_code == 2, (args, r.output)
        assert "records/XS/rt-xs-sgk6-1.yaml" in r.output and "không có" not in r.output, (args, r.output)
        assert "Traceback" not in r.output
    assert snapshot(root) == files and not (tmp_path / "b.md").exists()
