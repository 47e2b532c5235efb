"""Dates as a Vietnamese librarian types them (#15 item 5): dd/mm/yyyy and d/m/yyyy as well as ISO
wherever a date is typed, a clear error naming the option, a warning (not a refusal) for a step
dated in the future or outside its term."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from libsync.dates import step_warnings, typed_date

EID = "nd-xs-2024-10-bao-tap-chi"
MANIFEST = "exchanges/2024-2025/HK1/nd-xs-2024-10-bao-tap-chi.yaml"


@pytest.mark.parametrize(("text", "day"), [
    ("19/01/2025", dt.date(2025, 1, 19)), ("9/1/2025", dt.date(2025, 1, 9)), ("19-01-2025", dt.date(2025, 1, 19)),
    ("19.1.2025", dt.date(2025, 1, 19)), ("2025-01-19", dt.date(2025, 1, 19)), (" 01/02/2025 ", dt.date(2025, 2, 1)),
])
def test_typed_dates(text, day):
    assert typed_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2025", "19/13/2025", "19/01/25", "2025/01/19", "hôm nay", "", "1/1/9999",
                                  "2025-1-19"])
def test_not_dates(text):
    assert typed_date(text) is None


def test_step_warnings():
    term = (dt.date(2024, 9, 5), dt.date(2025, 1, 18))
    today = dt.date(2024, 10, 1)
    assert step_warnings(dt.date(2024, 9, 30), term, today) == []
    assert step_warnings(dt.date(2024, 10, 2), term, today) == ["dates.future"]
    assert step_warnings(dt.date(2024, 9, 1), term, today) == ["dates.outside_term"]
    assert step_warnings(dt.date(2030, 1, 1), term, today) == ["dates.future", "dates.outside_term"]


def history(repo):
    return yaml.safe_load((repo / MANIFEST).read_text(encoding="utf-8"))["history"]


def test_an_exchange_step_dated_dd_mm_yyyy_is_stored_iso(example_repo, cli):
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", "3/10/2024", "--by", "Hà")
    assert r.exit_code == 0, r.output
    assert history(example_repo)[-1]["date"] == "2024-10-03"
    assert "Lưu ý" not in r.output   # in the term, in the past: nothing to say


def test_a_bad_date_names_the_option_in_vietnamese_and_changes_nothing(example_repo, cli):
    before = (example_repo / MANIFEST).read_bytes()
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", "31/02/2025", "--by", "Hà")
    assert r.exit_code == 2
    assert "--date" in r.output and "“31/02/2025” không phải là một ngày hợp lệ" in r.output
    assert "19/01/2027" in r.output
    assert (example_repo / MANIFEST).read_bytes() == before


def test_a_step_in_the_future_and_outside_its_term_is_recorded_with_a_warning(example_repo, cli):
    future = (dt.date.today() + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", future, "--by", "Hà")
    assert r.exit_code == 0, r.output
    assert f"ngày {future} còn ở tương lai" in r.output
    assert f"ngày {future} nằm ngoài Học kỳ I năm học 2024–2025 (05/09/2024 – 18/01/2025)" in r.output
    assert history(example_repo)[-1]["status"] == "approved"


@pytest.mark.parametrize("args", [
    ("schedule", "2025-2026/HK1", "--from", "5/9/2025"),
    ("exchange", "list", "--today", "01/12/2024"),
    ("copy", "set", "XS-TN-00036", "--status", "damaged", "--ref", "BB 1", "--date", "02/12/2024", "--dry-run"),
])
def test_other_commands_take_dd_mm_yyyy(example_repo, cli, args):
    r = cli("--repo", example_repo, *args)
    assert r.exit_code == 0, r.output
    bad = cli("--repo", example_repo, *[("32/12/2024" if "/" in a and a[0].isdigit() else a) for a in args])
    assert bad.exit_code == 2 and "“32/12/2024”" in bad.output


def test_a_proposal_takes_dd_mm_yyyy_days_and_warns_only_of_its_own_date(example_repo, cli):
    r = cli("--repo", example_repo, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD",
            "--batch", "xs-tk-ngu-van-6-7", "--handover", "2/12/2024", "--return-due", "17/1/2025", "--no-branch",
            "--by", "Hà", "--date", "1/12/2024")
    assert r.exit_code == 0, r.output
    assert "Lưu ý" not in r.output
    manifest = next((example_repo / "exchanges" / "2024-2025" / "HK1").glob("xs-hd-2024-2025-hk1-xs-tk-ngu-van-6-7.yaml"))
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert str(data["planned"]["handover"]) == "2024-12-02" and str(data["planned"]["return_due"]) == "2025-01-17"
    assert str(data["history"][0]["date"]) == "2024-12-01"


def test_harvest_days_typed_dd_mm_yyyy():
    from libsync.errors import LibsyncError
    from libsync.interchange.harvest import check_stamp

    assert check_stamp("19/1/2025", "--from") == "2025-01-19"
    assert check_stamp("2025-01-19T08:00:00Z", "--until") == "2025-01-19T08:00:00Z"
    with pytest.raises(LibsyncError) as refused:
        check_stamp("31/02/2025", "--from")
    assert "--from 31/02/2025" in str(refused.value) and "19/01/2025" in str(refused.value)


# --- a step dated in the future or outside its term: asked on a terminal, advice that works ------

def _future() -> str:
    return (dt.date.today() + dt.timedelta(days=40)).strftime("%d/%m/%Y")


def _git(root):
    from test_rotation_support import committed

    return committed(root)


def test_on_a_terminal_a_step_in_the_future_is_asked_about_and_no_is_the_default(example_repo, cli, monkeypatch):
    monkeypatch.setenv("TTY_INTERACTIVE", "1")   # stdin taken for a terminal (libsync.cli.common.can_ask)
    before = (example_repo / MANIFEST).read_bytes()
    for answer in ("k\n", "\n", ""):   # "không", Enter alone, end of input: nothing recorded
        r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", _future(), "--by", "Hà", input=answer)
        assert r.exit_code == 1, r.output
        assert "Vẫn ghi với ngày này? [c/K]" in r.output and "Chưa ghi gì" in r.output
        assert (example_repo / MANIFEST).read_bytes() == before
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", _future(), "--by", "Hà", input="c\n")
    assert r.exit_code == 0, r.output
    assert history(example_repo)[-1]["date"] == (dt.date.today() + dt.timedelta(days=40)).isoformat()


def test_with_yes_on_a_terminal_it_is_recorded_without_a_question(example_repo, cli, monkeypatch):
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", _future(), "--by", "Hà", "--yes")
    assert r.exit_code == 0, r.output
    assert "[c/K]" not in r.output and "còn ở tương lai" in r.output and "git restore" in r.output
    assert history(example_repo)[-1]["status"] == "approved"


def test_the_advice_after_a_committed_step_works_undo_then_the_right_date(example_repo, cli):
    repo = _git(example_repo)
    before = (example_repo / MANIFEST).read_bytes()
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", _future(), "--by", "Hà", "--commit")
    assert r.exit_code == 0, r.output
    assert "chạy `libsync undo` ngay sau lệnh này, rồi chạy lại lệnh với --date đúng" in r.output
    assert cli("--repo", example_repo, "undo", "--yes").exit_code == 0
    assert (example_repo / MANIFEST).read_bytes() == before
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", "3/10/2024", "--by", "Hà", "--commit")
    assert r.exit_code == 0, r.output
    assert (history(example_repo)[-1]["status"], history(example_repo)[-1]["date"]) == ("approved", "2024-10-03")
    assert not repo.is_dirty()


def test_the_advice_after_a_step_not_committed_works_git_restore_then_the_right_date(example_repo, cli):
    repo = _git(example_repo)
    before = (example_repo / MANIFEST).read_bytes()
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", _future(), "--by", "Hà")
    assert r.exit_code == 0, r.output
    assert "Vẫn ghi (chưa commit)" in r.output and "`git restore TỆP…` (xem `git status`)" in r.output
    changed = [line[3:] for line in repo.git.status("--porcelain").splitlines()]
    assert changed == [MANIFEST]
    repo.git.restore("--", *changed)
    assert (example_repo / MANIFEST).read_bytes() == before
    r = cli("--repo", example_repo, "exchange", "approve", EID, "--date", "3/10/2024", "--by", "Hà")
    assert r.exit_code == 0, r.output
    assert history(example_repo)[-1]["date"] == "2024-10-03" and "Lưu ý" not in r.output


def test_the_advice_after_a_proposal_dated_in_the_future_works(example_repo, cli):
    repo = _git(example_repo)
    args = ("--repo", example_repo, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD",
            "--batch", "xs-tk-ngu-van-6-7", "--handover", "2/12/2024", "--return-due", "17/1/2025", "--by", "Hà")
    r = cli(*args, "--date", _future())
    assert r.exit_code == 0, r.output
    assert "xoá nhánh đề xuất lệnh này tạo (`git branch -D exchange/MÃ-PHIẾU`" in r.output
    branch = next(b.name for b in repo.branches if b.name.startswith("exchange/"))
    assert repo.active_branch.name == "main"
    repo.git.branch("-D", branch)
    r = cli(*args, "--date", "1/12/2024")
    assert r.exit_code == 0, r.output
    assert "Lưu ý" not in r.output
    manifest = repo.git.show(f"{branch}:exchanges/2024-2025/HK1/{branch.split('/', 1)[1]}.yaml")
    assert str(yaml.safe_load(manifest)["history"][0]["date"]) == "2024-12-01"


@pytest.mark.parametrize("command", [
    ("inventory", "record", "XS", "{scan}", "--label", "Kiểm kê cuối năm"),
    ("withdraw", "apply", "hd-2025-thanh-loc", "--decision", "Số 12/QĐ"),
    ("accession", "--library", "XS", "--source", "tặng", "--doc", "BB 03/2024", "--file", "{scan}"),
])
def test_other_dated_records_ask_on_a_terminal_before_anything_is_written(example_repo, cli, monkeypatch, tmp_path,
                                                                           command):
    from test_rotation_support import snapshot

    scan = tmp_path / "quet.txt"
    scan.write_text("XS-GK-00123\n", encoding="utf-8")
    args = [str(scan) if a == "{scan}" else a for a in command]
    before = snapshot(example_repo)
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    r = cli("--repo", example_repo, *args, "--date", _future(), input="k\n")
    assert r.exit_code == 1, r.output
    assert "còn ở tương lai" in r.output and "Vẫn ghi với ngày này? [c/K]" in r.output and "Chưa ghi gì" in r.output
    assert snapshot(example_repo) == before


def test_a_stocktake_dated_in_the_future_is_recorded_in_a_pipe_with_the_advice(example_repo, cli, tmp_path):
    scan = tmp_path / "quet.txt"
    scan.write_text("XS-GK-00123\n", encoding="utf-8")
    r = cli("--repo", example_repo, "inventory", "record", "XS", scan, "--label", "Kiểm kê", "--date", _future())
    assert r.exit_code == 0, r.output
    assert "còn ở tương lai" in r.output and "git restore" in r.output and "[c/K]" not in r.output
    assert list((example_repo / "inventories" / "XS").rglob(f"*{(dt.date.today() + dt.timedelta(days=40)).year}*"))
