"""Searching the union catalogue: folded full-text query, filters, ranked hits with holdings.

Recall is diacritic-blind (the query is folded like the index, so "me" finds "Mẹ" and "Mè");
ranking is not: a title with the very diacritics the user typed comes first ("mè" → "Mè" before
"Mẹ"; see ``libsync.text.identity_key``). A query keeps at most ``MAX_TERMS`` distinct words:
FTS5's time grows with the square of the number of terms, and more words than that do not make
a search more precise (``dropped`` in the result says how many were left out).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.catalog import match
from libsync.catalog.index import WEIGHTS, ensure_index
from libsync.model import gdpt
from libsync.text import bare_word, identity_key, identity_words, is_bare

if TYPE_CHECKING:
    from libsync.repository import Repository

DEFAULT_LIMIT = 20
MAX_TERMS = 32          # distinct query words searched; the rest are dropped (and counted)


def query_terms(query: str) -> tuple[list[str], int]:
    """The folded words of ``query`` to search for — each once, at most ``MAX_TERMS`` of them,
    in the order typed — and how many more distinct words were left out."""
    terms: list[str] = []
    seen: set[str] = set()
    for word in match.key_text(query).split():
        word = word.replace('"', "")
        if word and word not in seen:
            seen.add(word)
            if len(terms) < MAX_TERMS:
                terms.append(word)
    return terms, len(seen) - len(terms)


def fts_query(query: str) -> str:
    """FTS5 MATCH text for a user's query: every folded word must occur; the last word may be
    a prefix (search as you type) when it is a word of three letters or more."""
    words, _ = query_terms(query)
    terms = []
    for n, word in enumerate(words):
        term = '"' + word + '"'
        if n == len(words) - 1 and len(word) >= 3 and not word.isdigit():
            term += "*"
        terms.append(term)
    return " ".join(terms)


def tone_ranking(query: str, terms: list[str]) -> tuple[str, list[str]]:
    """SQL ORDER BY terms (and their parameters) that put first the titles written with the
    diacritics the user typed: the title that *is* the query, then titles with more of the typed
    words ("mè" → "Mè", then "Mẹ"). Empty when no searched word was typed with a diacritic, so
    a query typed without them ("me") is ranked as before. The last word may be unfinished
    (search as you type), so it matches the start of a word."""
    wanted = set(terms)
    words = [w for w in identity_words(query[:20_000]) if match.normalise_iy(bare_word(w)) in wanted]
    patterns: list[str] = []
    for n, word in enumerate(words):
        if is_bare(word):
            continue
        pattern = f" {word}" if n == len(words) - 1 else f" {word} "
        if pattern not in patterns and len(patterns) < MAX_TERMS:
            patterns.append(pattern)
    if not patterns:
        return "", []
    hits = " + ".join(["(instr(c.ident, ?) > 0)"] * len(patterns))
    return f"(c.ident_title = ?) DESC, ({hits}) DESC, ", [f" {identity_key(' '.join(words))} ", *patterns]


def search_index(path: Path, query: str, library: str | None = None, type_: str | None = None,
                 grade: int | None = None, subject: str | None = None, available: bool = False,
                 limit: int = DEFAULT_LIMIT, series: str | None = None) -> dict[str, Any]:
    """Query the index file at ``path``: {"query", "audience", "count", "results": [cluster + score]}.
    ``series``: a textbook series in any spelling ("KNTT", "Kết nối tri thức" — one filter value)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        audience = con.execute("SELECT value FROM meta WHERE key = 'audience'").fetchone()[0]
        skipped_row = con.execute("SELECT value FROM meta WHERE key = 'skipped'").fetchone()
        where: list[str] = []
        params: list[str | int] = []
        terms, dropped = query_terms(query)
        match_text = fts_query(query)
        key = " ".join(terms)
        if library:
            where.append("c.libraries LIKE ?")
            params.append(f"% {library} %")
        if type_:
            where.append("c.type = ?")
            params.append(type_)
        if grade is not None:
            where.append("c.grade = ?")
            params.append(int(grade))
        if subject:
            where.append("c.subjects LIKE ?")
            params.append("%" + match.key_text(subject) + "%")
        if series:
            where.append("c.series = ?")
            params.append(gdpt.series_name(series) or series)
        if available:
            if library:
                where.append("c.available_at LIKE ?")
                params.append(f"% {library} %")
            else:
                where.append("c.available > 0")
        if match_text:
            sql_from = "FROM fts JOIN clusters c ON c.rowid = fts.rowid WHERE fts MATCH ?"
            params = [match_text, *params]
            score = "bm25(fts, {}, {}, {}, {})".format(*WEIGHTS)
            # a title that is the query, or starts with it, comes first ("toan 6" → "Toán 6")
            order = "(c.sort = ?) DESC, (substr(c.sort, 1, ?) = ?) DESC, score, c.sort, c.id"
            order_params: list[str | int] = [key, len(key), key]
            # … and before that, the diacritics typed: "mè" → "Mè", then "Mẹ"
            tone_order, tone_params = tone_ranking(query, terms)
            order = tone_order + order
            order_params = [*tone_params, *order_params]
        else:
            sql_from = "FROM clusters c WHERE 1"
            score = "0.0"
            order = "c.sort, c.id"
            order_params = []
        cond = "".join(" AND " + w for w in where)
        if match_text and not where:  # no filter: count in the full-text table alone
            count = con.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [match_text]).fetchone()[0]
        else:
            count = con.execute(f"SELECT count(*) {sql_from}{cond}", params).fetchone()[0]
        rows = con.execute(f"SELECT c.data, {score} AS score {sql_from}{cond} ORDER BY {order} LIMIT ?",
                           [*params, *order_params, int(limit)]).fetchall()
    finally:
        con.close()
    results = []
    for data, sc in rows:
        hit = json.loads(data)
        hit["score"] = round(-float(sc), 3) if match_text else 0.0
        results.append(hit)
    skipped = json.loads(skipped_row[0]) if skipped_row else []
    return {"query": query, "audience": audience, "count": count, "results": results, "dropped": dropped,
            "skipped": skipped}


def search(repository: Repository, query: str, audience: str = "network", **filters: Any) -> dict[str, Any]:
    """Search the union catalogue of ``repository`` as ``audience`` sees it (index kept fresh)."""
    from libsync.catalog import check_audience

    audience = check_audience(repository, audience)
    if filters.get("library"):
        filters["library"] = repository.network.library(str(filters["library"]).upper())["code"]
    path, rebuilt = ensure_index(repository, audience)
    result = search_index(path, query, **filters)
    result["rebuilt"] = rebuilt
    return result
