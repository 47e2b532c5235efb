"""One schema error is chosen, the same way everywhere, and told in the user's language.

A file with several schema errors is described by one of them wherever a command stops on
it (an exchange step, an inventory diff, a merge, recording a snapshot): the one
``schema_errors.first_problem`` picks, which ``libsync validate`` also reports, with the
same sentence. In Vietnamese that sentence never carries python-jsonschema's English.
Real files: each test breaks a copy of the example network.
"""

from __future__ import annotations

import json

import pytest

from libsync import yamlio
from libsync.i18n import set_language
from libsync.validation.schema_errors import first_problem, most_relevant, schema_errors

ENGLISH = ("is not one of", "is a required property", "is not of type", "does not match", "is less than the minimum",
           "Additional properties", "is too short", "has non-unique elements", "should be non-empty", "was expected")

MANIFEST = "exchanges/2024-2025/HK1/xs-hd-2024-10-truyen-thieu-nhi.yaml"
SNAPSHOT = "inventories/XS/2024-10-01-truoc-luan-chuyen-hk1.yaml"
OTHER_SNAPSHOT = "inventories/XS/2024-11-15-sau-luan-chuyen-hk1.yaml"


def _break(repo, relpath: str, old: str, new: str) -> None:
    path = repo / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _chosen(repo, kind: str, relpath: str):
    loaded = yamlio.load_file(repo / relpath, relpath)
    problem = first_problem(kind, loaded.data, loaded.text, relpath)
    assert problem is not None
    return problem


def _no_english(text: str) -> None:
    assert not [p for p in ENGLISH if p in text], text


def _validate_reports(cli, repo, relpath: str, problem) -> None:
    """``libsync validate`` reports the chosen problem too, at the same place, in the same words."""
    result = cli("--repo", repo, "validate", relpath, "--format", "json")
    errors = json.loads(result.stdout)["errors"]
    assert {"file": problem.file, "line": problem.line, "column": problem.column, "rule": problem.rule,
            "message": problem.message, "pointer": problem.pointer} in errors, errors
    assert len(errors) > 1   # the file has more than one error: the choice is a real one


def test_the_shallowest_error_is_chosen_and_ties_go_to_the_first_in_the_file():
    from libsync.schemas import explainer

    data = {"id": "x", "library": "XS", "type": "sach", "title": "T", "share": "everyone",
            "items": [{"barcode": "XS-1", "status": "gone"}]}
    errors = list(explainer("record").iter_errors(data))
    assert len(errors) == 3
    best = most_relevant(errors)
    assert list(best.absolute_path) == ["type"]   # before share (schema order = file order), before items[0]
    assert most_relevant([]) is None
    assert first_problem("record", {"id": "x", "library": "XS", "type": "story", "title": "T"}) is None
    assert [list(e.absolute_path) for e in schema_errors("record", data)] == [list(e.absolute_path) for e in errors]


def test_record(example_repo, cli):
    rel = "records/XS/zz-hong.yaml"
    (example_repo / rel).write_text("id: zz-hong\nlibrary: XS\ntype: sach\ntitle: Truyện hỏng\nshare: ca-mang\n"
                                    "items:\n- barcode: XS-ZZ-1\n  status: mat\n", encoding="utf-8")
    problem = _chosen(example_repo, "record", rel)
    assert problem.pointer == "/type" and problem.line == 3
    _no_english(problem.message)
    assert "không hợp lệ" in problem.message
    _validate_reports(cli, example_repo, rel, problem)


def test_exchange_manifest(example_repo, cli):
    _break(example_repo, MANIFEST, "status: received", "status: recieved")
    _break(example_repo, MANIFEST, "  condition: Tốt", "  condition: Tốt\n  outcome: gone")
    problem = _chosen(example_repo, "exchange", MANIFEST)
    assert problem.pointer == "/status"
    _no_english(problem.message)
    _validate_reports(cli, example_repo, MANIFEST, problem)
    result = cli("--repo", example_repo, "exchange", "return", "xs-hd-2024-10-truyen-thieu-nhi", "--yes")
    assert result.exit_code == 1
    assert problem.where in result.stderr and problem.message in result.stderr
    _no_english(result.stderr)
    # the rotation's own check of a manifest (run on what it is about to act on) says the same
    from libsync.errors import LibsyncError
    from libsync.repository import Repository
    from libsync.rotation.queries import check_state

    data = yamlio.load_file(example_repo / MANIFEST, MANIFEST).data
    with pytest.raises(LibsyncError) as refused:
        check_state(Repository(example_repo), MANIFEST, data)
    shown = str(refused.value)
    assert f"{MANIFEST}:{problem.line}" in shown and "/status" in shown and problem.message in shown
    _no_english(shown)
    set_language("en")
    with pytest.raises(LibsyncError) as refused:
        check_state(Repository(example_repo), MANIFEST, data)
    assert "invalid exchange manifest at /status: 'status' = 'recieved' is not allowed; choose one of" in str(refused.value)


def test_snapshot(example_repo, cli):
    _break(example_repo, SNAPSHOT, "label: Trước luân chuyển HK1 2024–2025\n", "")
    _break(example_repo, SNAPSHOT, "  count: 104", "  count: -1")
    problem = _chosen(example_repo, "inventory", SNAPSHOT)
    assert problem.rule == "schema-required" and "label" in problem.message
    _no_english(problem.message)
    _validate_reports(cli, example_repo, SNAPSHOT, problem)
    result = cli("--repo", example_repo, "inventory", "diff", "XS/2024-10-01-truoc-luan-chuyen-hk1",
                 "XS/2024-11-15-sau-luan-chuyen-hk1")
    assert result.exit_code in (1, 2)
    assert problem.where in result.stderr and problem.message in result.stderr
    _no_english(result.stderr)


def test_overrides(example_repo, cli):
    rel = "catalog/overrides.yaml"
    (example_repo / "catalog").mkdir(exist_ok=True)
    (example_repo / rel).write_text("never_merge:\n- records: [XS/mot-minh]\n  reason: Khác bộ\nghi_chu: x\n",
                                    encoding="utf-8")
    problem = _chosen(example_repo, "overrides", rel)
    assert problem.pointer == "/ghi_chu" and problem.line == 4   # the root's unknown key, before the entry's detail
    _no_english(problem.message)
    _validate_reports(cli, example_repo, rel, problem)
    result = cli("--repo", example_repo, "merge", "--format", "json")
    assert result.exit_code == 2
    assert f"{rel}:4" in result.stderr and "'ghi_chu'" in result.stderr
    _no_english(result.stderr)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_recording_a_snapshot_says_why_in_the_users_language(example_repo, cli, tmp_path, lang):
    scan = tmp_path / "scan.txt"
    scan.write_text("XS-TN-00002\n", encoding="utf-8")
    set_language(lang)
    result = cli("--repo", example_repo, "--lang", lang, "inventory", "record", "XS", scan,
                 "--label", "x", "--date", "2024-12-02", "--by", "   ")
    assert result.exit_code == 2, result.output
    assert "taken_by" in result.stderr
    if lang == "vi":
        assert "không được để trống" in result.stderr
        _no_english(result.stderr)
    else:
        assert "must not be empty" in result.stderr
    assert not (example_repo / "inventories" / "XS" / "2024-12-02-x.yaml").exists()
