"""Schedule: round-robin over the year, school days, blackouts, max stay, balance, ics, --write."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import yaml

from test_rotation_support import git_network, make_network, snapshot


def rt_stages(data):
    return [s for s in data["stages"] if s["batch"].startswith("rt-")]


def test_year_schedule_round_robin_and_balance(tmp_path, cli):
    root = make_network(tmp_path / "n", only_rt=True)
    hk1 = json.loads(cli("--repo", root, "schedule", "2024-2025/HK1", "--format", "json").output)
    hk2 = json.loads(cli("--repo", root, "schedule", "2024-2025/HK2", "--format", "json").output)
    for plan in (hk1, hk2):
        stages = rt_stages(plan)
        assert len(stages) == 3
        # every library sends one rt batch and receives one in each term
        assert sorted(s["sender"] for s in stages) == ["HD", "ND", "XS"]
        assert sorted(s["receiver"] for s in stages) == ["HD", "ND", "XS"]
        for s in stages:
            day = dt.date.fromisoformat(s["handover"])
            back = dt.date.fromisoformat(s["return_due"])
            assert day.weekday() < 5 and back.weekday() < 5 and s["stay_days"] <= 183
    # over the year each batch visits both partners
    for batch in ("rt-xs-sgk6", "rt-hd-tk", "rt-nd-truyen"):
        visits = {s["receiver"] for p in (hk1, hk2) for s in rt_stages(p) if s["batch"] == batch}
        assert len(visits) == 2
    sgk = next(s for s in rt_stages(hk1) if s["batch"] == "rt-xs-sgk6")
    assert sgk["copies"] == 8
    assert {e["barcode"] for e in hk1["left_out"]["rt-xs-sgk6"]} == {"RTXS23", "RTXS33"}


def test_blackouts_and_max_stay(tmp_path, cli):
    root = make_network(tmp_path / "n", only_rt=True)
    r = cli("--repo", root, "schedule", "2024-2025/HK2", "--from", "2025-01-25", "--max-stay-days", "20",
            "--format", "json")
    plan = json.loads(r.output)
    for s in rt_stages(plan):
        day = dt.date.fromisoformat(s["handover"])
        assert day >= dt.date(2025, 2, 3)  # Tết 25/1 – 2/2 is skipped
        assert s["stay_days"] <= 20


def test_no_school_days_left_and_unknown_term(tmp_path, cli):
    root = make_network(tmp_path / "n", only_rt=True)
    r = cli("--repo", root, "schedule", "2024-2025/HK1", "--from", "2025-01-18")
    assert r.exit_code == 2 and "2024-2025/HK1" in r.output
    r = cli("--repo", root, "schedule", "2024-2025/HK3")
    assert r.exit_code == 2 and "2024-2025/HK3" in r.output
    r = cli("--repo", root, "schedule", "2024-2025/HK1", "--group", "khong-co")
    assert r.exit_code == 2 and "khong-co" in r.output


def test_unplaced_batch_is_explained(tmp_path, cli):
    root = make_network(tmp_path / "n", only_rt=True)
    net = yaml.safe_load((root / "network.yaml").read_text(encoding="utf-8"))
    net["rotation"]["batches"].append({"id": "rt-empty", "library": "HD", "name": "Bộ rỗng",
                                       "group": "dong-trieu-thcs", "filter": {"barcodes": ["KHONGCO1"]}})
    (root / "network.yaml").write_text(yaml.safe_dump(net, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = json.loads(cli("--repo", root, "schedule", "2024-2025/HK1", "--format", "json").output)
    assert {"batch": "rt-empty", "library": "HD", "reason": "empty", "left_out": 1} in plan["unplaced"]
    text = cli("--repo", root, "schedule", "2024-2025/HK1").output
    assert "rt-empty" in text and "không còn bản nào" in text


def test_ics_and_write_commit(tmp_path, cli):
    root, repo = git_network(tmp_path, only_rt=True)
    ics = tmp_path / "hk1.ics"
    r = cli("--repo", root, "schedule", "2024-2025/HK1", "--ics", ics, "--write", "--commit")
    assert r.exit_code == 0, r.output
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    sgk = [e for e in events if "xs-hd-2024-2025-hk1-rt-xs-sgk6-handover" in str(e["uid"])]
    assert len(sgk) == 1
    assert "XS → HD" in str(sgk[0]["summary"]) and "Trường THCS Hưng Đạo" in str(sgk[0]["description"])
    assert sgk[0].decoded("dtstart") == dt.date(2024, 9, 5)
    manifest = root / "exchanges/2024-2025/HK1/xs-hd-2024-2025-hk1-rt-xs-sgk6.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert data["status"] == "proposed" and len(data["copies"]) == 8
    assert repo.head.commit.message.startswith("schedule 2024-2025/HK1")
    assert not repo.is_dirty(untracked_files=True)
    # writing again skips the manifests that exist and changes nothing
    files = snapshot(root)
    r = cli("--repo", root, "schedule", "2024-2025/HK1", "--write", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["written"]["written"] == []
    assert snapshot(root) == files


def test_example_network_schedule_2024_2025(tmp_path, cli):
    """The embedded example: both terms are planned; every batch is placed or explained."""
    from conftest import copy_example

    root = copy_example(tmp_path / "example")
    batches = {b["id"] for b in yaml.safe_load((root / "network.yaml").read_text(encoding="utf-8"))["rotation"]["batches"]}
    for term in ("2024-2025/HK1", "2024-2025/HK2"):
        r = cli("--repo", root, "schedule", term, "--format", "json", "--ics", tmp_path / "lich.ics")
        assert r.exit_code == 0, r.output
        plan = json.loads(r.output)
        accounted = {s["batch"] for s in plan["stages"]} | {u["batch"] for u in plan["unplaced"]}
        assert accounted == batches
        assert all(s["sender"] != s["receiver"] for s in plan["stages"])
