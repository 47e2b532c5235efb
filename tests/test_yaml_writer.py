"""The canonical YAML writer: every string it emits reads back as the same string (NFC)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from libsync import yamlio

# Plain text, and text shaped like the scalars YAML resolvers love to claim: numbers in every
# base and notation, booleans, nulls, dates, times, infinities.
number_like = st.from_regex(r"\A[-+.]?[0-9]{0,4}[._]?[0-9]{0,3}([eE][-+]?[0-9]{1,3})?\Z", fullmatch=True)
prefixed = st.from_regex(r"\A0[xXoObB][0-9a-fA-F_]{0,6}\Z", fullmatch=True)
words = st.sampled_from([
    "true", "True", "FALSE", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~", "", ".inf", "-.Inf",
    ".NaN", "2024-10-01", "2024-10-01T08:00:00", "12:30", "1:20:30", "<<", "=", "00123", "1e5", "1E10",
    "0o17", "0x1F", "0b101", "+12", "1_000", "- a", "? x", ": y", "#x", "&a", "*a", "!t", "%x", "@x", "`x",
    "'", '"', "a: b", "a #b", "Mẹ", "Đá", "Tiếng Việt", "Ca\u0300",
])
scalars = st.one_of(st.text(alphabet=st.characters(exclude_categories=("Cs",))), number_like, prefixed, words)


def _round_trip(value: str) -> None:
    # the value as a key in a mapping of its own (as one of the fixed keys it would collide with them)
    text = yamlio.dump({"title": value, "authors": [value], "keys": {value: "key"}} if value else {"title": value})
    loaded = yamlio.load_text(text, "x.yaml")
    expected = unicodedata.normalize("NFC", value)
    assert loaded.ok, (value, text, [p.message for p in loaded.problems])
    assert loaded.data["title"] == expected, (value, text)
    if value:
        assert loaded.data["authors"] == [expected]
        assert loaded.data["keys"][expected] == "key"


@settings(max_examples=1500, deadline=None)
@given(scalars)
def test_every_string_reads_back_the_same(value):
    _round_trip(value)


def test_issue_examples_stay_text():
    for value in ("1e5", "0o17", "1E10", "0x1F", "00123", "no", "2024-10-01"):
        _round_trip(value)
        assert f"'{value}'" in yamlio.dump({"barcode": value})
