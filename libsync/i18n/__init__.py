"""The message catalogue: every user-facing sentence, in Vietnamese and English (gettext).

Messages live in gettext catalogues, ``libsync/locale/<lang>/LC_MESSAGES/libsync.po``, compiled
to ``.mo`` files that are read here with the standard library (``gettext``). The message id is
a stable English key (``rotation.minutes.title``); the message string is the text in that
language, with ``{name}`` placeholders. A language is a folder under ``locale/``: a third one is
a new ``.po`` file (see docs/translating.md), not a code change.

Vietnamese is the default; ``LIBSYNC_LANG``, ``--lang`` or :func:`set_language` selects. A key
missing from the chosen language falls back to English, then to the key itself; with
``LIBSYNC_STRICT_I18N=1`` (set by the test suite) a key missing from *any* language raises
:class:`MissingMessage`, so that keys built at run time are checked by every test that
reaches them. Rebuild the ``.mo`` files with ``python3 -m libsync.i18n.compile``.
"""

from __future__ import annotations

import gettext
import os
import string
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "libsync"
SOURCE = "en"
DEFAULT = "vi"


def _available() -> tuple[str, ...]:
    found = sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return tuple(sorted(found, key=lambda lang: (lang != DEFAULT, lang != SOURCE, lang)))


LANGUAGES = _available()
STRICT = os.environ.get("LIBSYNC_STRICT_I18N") == "1"


class MissingMessage(KeyError):
    """A message key that some language's catalogue lacks (raised only in strict mode)."""


@cache
def messages(lang: str) -> dict[str, str]:
    """Every message of one language, ``key: text`` (read once from its ``.mo`` file)."""
    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as fh:
        catalog: dict[str, str] = dict(gettext.GNUTranslations(fh)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)  # the header
    return catalog


def _initial() -> str:
    lang = os.environ.get("LIBSYNC_LANG", DEFAULT).lower()
    return lang if lang in LANGUAGES else DEFAULT


_language = _initial()


def set_language(lang: str | None) -> str:
    """Select the language for all later messages; ``None`` keeps the current one."""
    global _language
    if lang:
        lang = lang.lower()
        if lang not in LANGUAGES:
            raise ValueError(lang)
        _language = lang
    return _language


def get_language() -> str:
    return _language


def has(key: str) -> bool:
    """Whether ``key`` is a message (in the source language)."""
    return key in messages(SOURCE)


class _Default(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message ``key`` in the current (or given) language, with ``params`` filled in."""
    lang = lang or _language
    text = messages(lang).get(key)
    if STRICT:
        lacking = [other for other in LANGUAGES if key not in messages(other)]
        if lacking:
            raise MissingMessage(f"message {key!r} missing in {', '.join(lacking)}")
    if text is None:
        text = messages(SOURCE).get(key) if lang != SOURCE else None
        if text is None:
            return key + (" " + repr(params) if params else "")
    if not params:
        return text
    return string.Formatter().vformat(text, (), _Default(params))
