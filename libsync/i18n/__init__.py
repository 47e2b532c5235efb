"""The message catalogue: every user-facing sentence, in Vietnamese and English.

Messages live in per-domain sections (``libsync/i18n/<domain>.py``, each a ``MESSAGES``
dict of ``key: (vietnamese, english)``); this module joins them into one catalogue and
refuses a key defined twice. Vietnamese is the default; ``LIBSYNC_LANG`` or
``set_language`` selects. Rule ids and keys stay stable English identifiers.
"""

from __future__ import annotations

import importlib
import os
import string

LANGUAGES = ("vi", "en")
SECTIONS = ("core", "validate", "interchange", "catalog", "rotation", "inventory", "site", "sharing", "edit", "enrich", "oai", "harvest", "collection")

CATALOGUE: dict[str, tuple[str, str]] = {}
for _name in SECTIONS:
    try:
        _module = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # a section not written yet
        if exc.name != f"{__name__}.{_name}":
            raise
        continue
    for _key, _pair in _module.MESSAGES.items():
        if _key in CATALOGUE:
            raise RuntimeError(f"message key {_key!r} defined twice (section {_name})")
        CATALOGUE[_key] = _pair

_language = os.environ.get("LIBSYNC_LANG", "vi").lower()
if _language not in LANGUAGES:
    _language = "vi"


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


class _Default(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message ``key`` in the current (or given) language, with ``params`` filled in."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key + (" " + repr(params) if params else "")
    text = pair[0] if (lang or _language) == "vi" else pair[1]
    if not params:
        return text
    return string.Formatter().vformat(text, (), _Default(params))
