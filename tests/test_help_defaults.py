"""No option says its default twice (#15 item 2, acceptance): "(mặc định 20). [mặc định: 20]".
Where Typer shows ``[mặc định: …]`` the help text itself does not mention the default."""

from __future__ import annotations

import re

import pytest

from tests.test_i18n_languages import _help_pages

WORD = {"vi": "mặc định", "en": "default"}


def option_cells(page: str) -> list[str]:
    """Each option's row of a help page, its wrapped lines joined, the panel's borders removed."""
    cells: list[str] = []
    current: str | None = None
    for line in page.splitlines():
        if re.match(r"│\s+(\*\s+)?-", line):
            if current:
                cells.append(current)
            current = line
        elif current is not None and line.startswith("│"):
            current += " " + line
        else:
            if current:
                cells.append(current)
            current = None
    if current:
        cells.append(current)
    return [" ".join(cell.replace("│", " ").split()) for cell in cells]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_option_says_its_default_twice(cli, monkeypatch, lang):
    monkeypatch.setenv("COLUMNS", "250")
    word = WORD[lang]
    pages = _help_pages(cli, lang)
    shown = 0
    found = []
    for args, page in pages.items():
        for cell in option_cells(page):
            prose, bracket, _ = cell.lower().partition(f"[{word}:")
            if bracket:
                shown += 1
                if word in prose:
                    found.append((" ".join(args), cell))
    assert not found, found
    assert shown > 20   # Typer's own "[mặc định: …]" is there to be checked
    assert f"[{word}: 20]" in " ".join(option_cells(pages[("search",)])).lower()
