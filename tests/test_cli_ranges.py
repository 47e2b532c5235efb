"""A number outside an option's range is refused in the user's language (Typer's own range
check said 'Input should be less than or equal to 20' even in the Vietnamese interface)."""

from __future__ import annotations


def test_out_of_range_options_are_refused_in_vietnamese_and_english(cli):
    r = cli("harvest", "--retries", "99")
    assert r.exit_code == 2 and "--retries: không được lớn hơn 20" in r.output, r.output
    r = cli("accession", "--line", "0")
    assert r.exit_code == 2 and "--line: không được nhỏ hơn 1" in r.output, r.output
    r = cli("--lang", "en", "harvest", "--timeout", "0")
    assert r.exit_code == 2 and "--timeout: must be at least 0.1" in r.output, r.output
    for args in (("harvest", "--retries", "99"), ("withdraw", "--years", "0")):
        assert "Input should" not in cli(*args).output
