"""Codes said as labels in text a person reads (#15 item 2, acceptance): sharing and access
levels in `share --dry-run` and in validate's Art. 28 error; JSON keeps the codes."""

from __future__ import annotations

import json


def test_share_dry_run_says_levels_as_labels_and_json_keeps_codes(example_repo, cli):
    args = ("--repo", example_repo, "share", "--library", "HD", "--share", "public", "--access", "read", "--dry-run")
    r = cli(*args)
    assert r.exit_code == 1, r.output   # one record lacks a publisher: refused, said
    assert ("HD/hd-am-nhac-6-cd  Âm nhạc 6  (Phạm vi chia sẻ: trong mạng liên thông → công khai; "
            "Mức truy cập: ") in r.output
    assert "share:" not in r.output and "network →" not in r.output and "access:" not in r.output
    en = cli("--lang", "en", *args)
    assert "(Share: within the network → public; Access:" in en.output
    data = json.loads(cli(*args, "--format", "json").output)
    change = next(c for c in data["changes"] if c["id"] == "hd-am-nhac-6-cd")
    assert change["before"]["share"] == "network" and change["after"]["share"] == "public"


def test_art28_error_names_the_sharing_level_by_its_label(example_repo, cli):
    path = example_repo / "records" / "HD" / "hd-am-nhac-6-cd.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("call_number: 780.712 / A296\n", ""), encoding="utf-8")
    r = cli("--repo", example_repo, "validate", path)
    assert r.exit_code == 1, r.output
    assert "(phạm vi “trong mạng liên thông”) phải có ký hiệu xếp giá" in " ".join(r.output.split())
    assert "share: network" not in r.output
    en = cli("--repo", example_repo, "--lang", "en", "validate", path)
    assert "shared beyond its library (“within the network”) must have call number" in " ".join(en.output.split())
