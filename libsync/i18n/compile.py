"""Build the compiled message catalogues (``.mo``) and the template (``.pot``) from the ``.po`` files.

The message catalogue lives in ``libsync/locale/<lang>/LC_MESSAGES/libsync.po`` (gettext; the
message id is a stable key such as ``rotation.minutes.title``, the message string the text in
that language). English (``en``) is the source language: ``libsync.pot`` is made from it, with
the English and Vietnamese texts as comments for a translator. This module is a maintainer's
tool (it needs Babel, from the test extras); libsync itself reads the ``.mo`` files with the
standard library only. It never edits a ``.po`` file.

    python3 -m libsync.i18n.compile           # rebuild every .mo and libsync.pot
    python3 -m libsync.i18n.compile --check   # exit 1 when a .mo or the .pot is out of date
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "libsync"
SOURCE = "en"


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """Every language with a ``.po`` file, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda lang: lang != SOURCE)


def read(lang: str):  # type: ignore[no-untyped-def]  # babel has no type hints
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def problems(lang: str) -> list[str]:
    """Format errors Babel finds in one language's catalogue (placeholders that differ etc.)."""
    catalog = read(lang)
    out = []
    for message, errors in catalog.check():
        for error in errors:
            out.append(f"{po_path(lang)}:{message.lineno}: {message.id}: {error}")
    return out


def mo_bytes(lang: str) -> bytes:
    import datetime as dt

    from babel.messages.mofile import write_mo

    catalog = read(lang)
    # the .po has no creation date, so Babel stamps the current minute into the .mo's header: a
    # .mo built a minute ago would then be "out of date" (--check, test_i18n). A fixed date keeps
    # the same .po giving the same bytes.
    catalog.creation_date = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def pot_text() -> str:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    source = read(SOURCE)
    others = {lang: read(lang) for lang in languages() if lang != SOURCE}
    template = Catalog(domain=DOMAIN, project="libsync", charset="utf-8", fuzzy=False)
    for message in source:
        if not message.id:
            continue
        comments = [f"{SOURCE}: {message.string}"]
        for lang, catalog in others.items():
            other = catalog.get(message.id)
            if other is not None and other.string:
                comments.append(f"{lang}: {other.string}")
        template.add(message.id, "", auto_comments=comments)
    buffer = io.BytesIO()
    write_po(buffer, template, width=0, omit_header=False, no_location=True)
    text = buffer.getvalue().decode("utf-8")
    # Babel stamps the creation date into the header; keep the file stable between builds.
    return "\n".join(line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale: list[str] = []
    errors: list[str] = []
    for lang in languages():
        errors += problems(lang)
        target = po_path(lang).with_suffix(".mo")
        data = mo_bytes(lang)
        if not target.exists() or target.read_bytes() != data:
            stale.append(str(target))
            if not check:
                target.write_bytes(data)
    pot = LOCALE / f"{DOMAIN}.pot"
    text = pot_text()
    if not pot.exists() or pot.read_text(encoding="utf-8") != text:
        stale.append(str(pot))
        if not check:
            pot.write_text(text, encoding="utf-8")
    for line in errors:
        print(line, file=sys.stderr)
    if check and stale:
        print("out of date (run `python3 -m libsync.i18n.compile`): " + ", ".join(stale), file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
