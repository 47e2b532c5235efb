"""English counts that agree with 1 (#15 item 2, acceptance): `validate --lang en` said "1 errors".
Summary lines are worded so the number needs no agreement ("errors: 1"); Vietnamese has no plural."""

from __future__ import annotations

import re
import string

import pytest

from libsync.i18n import t

ONE_NOUN = re.compile(r"\b1 [a-z]+s\b")

SUMMARY_LINES = ("report.ok", "report.summary", "report.cache", "fmt.summary_check", "fmt.summary",
                 "catalog.search.count", "interchange.export.done", "interchange.export.refused",
                 "write.changed_meanwhile", "rotation.schedule.left_out", "rotation.schedule.left_out_groups",
                 "rotation.schedule.ics_written", "interchange.summary", "interchange.strict_refused",
                 "interchange.report.written", "share.summary", "share.written", "interchange.group.line.one",
                 "interchange.group.record.one")


@pytest.mark.parametrize("key", SUMMARY_LINES)
def test_a_summary_line_reads_right_with_a_count_of_one(key):
    from libsync.i18n import messages

    names = {name for _, name, _, _ in string.Formatter().parse(messages("en")[key]) if name}
    text = t(key, "en", **dict.fromkeys(names, 1))
    assert not ONE_NOUN.search(text), text


def test_validate_in_english_with_one_error_and_one_warning(example_repo, cli):
    path = example_repo / "records" / "HD" / "hd-am-nhac-6-cd.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("call_number: 780.712 / A296\n", ""), encoding="utf-8")
    r = cli("--repo", example_repo, "--lang", "en", "validate")
    assert r.exit_code == 1, r.output
    assert "errors: 1," in r.output and not ONE_NOUN.search(r.output), r.output
    ok = cli("--repo", example_repo, "--lang", "en", "validate", example_repo / "records" / "HD" / "hd-tk-atlat.yaml")
    assert ok.exit_code == 0 and "Valid, no errors (files checked: 1)." in ok.output
