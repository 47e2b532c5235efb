"""Build the static web catalogue from the union catalogue and the rotation manifests.

Output layout (every link relative, so the folder works from a static host and from file://)::

    index.html              search page (search box, filters, results)
    title.html#<cluster-id> one page per title (cluster), drawn from data/t/<bucket>.js
    lib/<CODE>.html         one page per library
    calendar.html           the term's rotation calendar
    summary.html            the network's yearly figures, only what the audience may see
                            (libsync.collection.report with that audience: no money, no intake or removal)
    oai.xml                 the records as an OAI-PMH static repository (libsync.oai.static; up to 5,000)
    assets/                 site.css, site.js, search.js, i18n.js (no CDN, no framework)
    data/meta.js            small: libraries, filter values, shard list (loaded with index.html)
    data/f.js               per-title filter values (loaded when a filter is used)
    data/w/<hex>.js         search-index shards by word prefix (loaded for the words typed)
    data/d/<n>.js           display data of titles, in chunks (loaded for the results shown)
    data/t/<n>.js           full description of titles, bucketed by a hash of the id (title page)
    .libsync-site           what was built (audience, term, counts)

Title pages are one HTML file filled in the browser: 30,000 static pages would cost more
time in file creation than the whole rest of the build (measured ~0.6 ms per file here).
Data files are JavaScript that hands JSON to a global (``LSD.w(...)``), loaded with
``<script>`` tags added on demand, because ``fetch`` of JSON does not work on file://.
Only the clusters that ``build_union(repository, audience)`` returns are used, and
exchange copies are named only when their record belongs to one of those clusters.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync import progress
from libsync.catalog.index import cluster_series
from libsync.catalog.union import check_audience
from libsync.errors import LibsyncError, os_reason
from libsync.i18n import messages, t
from libsync.model.enums import ACCESS_LEVELS, RECORD_TYPES
from libsync.network import Network, Term, parse_date
from libsync.text import fold, identity_words, is_bare, nfc

if TYPE_CHECKING:
    from libsync.repository import Repository

MARKER = ".libsync-site"
SUMMARY = "summary.html"
CHUNK = 32  # titles per display chunk (data/d/<n>.js): small, so the first page of results parses little
SHARD_LIMIT = 24_000  # bytes of a word shard before it is split by a longer prefix
MAX_KEY = 10  # longest shard key (ISBNs share their first 6 digits)
TYPES = RECORD_TYPES   # also the order of the type facet (data/f.js), given to the scripts in data/meta.js
ACCESS = ACCESS_LEVELS
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
# Words in the title weigh most, then authors/series/school subject, then everything else.
FIELD_TITLE, FIELD_AUTHOR, FIELD_OTHER, FIELD_TITLE_START = 0, 1, 2, 3
# A word keeps its best field: the title's first word, then any title word, author, other.
FIELD_ORDER = {FIELD_TITLE_START: 0, FIELD_TITLE: 1, FIELD_AUTHOR: 2, FIELD_OTHER: 3}
# Index keys of words as written with their diacritics (identity words, libsync.text.identity_key)
# start with this character, which no folded word contains: the search ranks the titles with the
# diacritics the user typed first ("mè" → "Mè" before "Mẹ"); finding stays diacritic-blind.
TONE_PREFIX = "~"


# --------------------------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------------------------
def build(repository: Repository, out_dir: str | os.PathLike[str], audience: str = "public", term: str | None = None,
          today: dt.date | None = None) -> dict[str, Any]:
    """Build the site of ``repository`` for ``audience`` into ``out_dir``; returns a summary."""
    from libsync.catalog.union import open_union
    from libsync.store.read import Store

    network = repository.network
    audience = check_audience(network, audience)
    union, skipped = open_union(repository, audience)
    with union:
        data = union.to_dict()
    store = Store.of(repository)
    exchanges = store.documents(("exchange",), strict=True).documents
    pages = _summary_page(repository, audience, today)
    summary = build_site(data, network, exchanges, out_dir, term=term, audience=audience,
                         files_root=repository.root, today=today, pages=pages)
    from libsync.oai.static import write_for_site  # oai.xml: the catalogue as an OAI-PMH static repository

    shown = sum(len(c.get("members") or []) for c in data.get("clusters", []))
    summary["oai_static"] = write_for_site(repository.root, summary["output"], audience, shown)
    summary["skipped"] = skipped   # record files left out by the read policy; said on stderr, not in the site
    return summary


def _summary_page(repository: Repository, audience: str, today: dt.date | None) -> dict[str, str]:
    """summary.html: the network's figures of the current school year for ``audience``, or nothing
    when the records cannot be read strictly (the catalogue itself is still built)."""
    from libsync.collection import report

    try:
        figures = report.figures(repository, None, report.current_year(today), audience)
    except LibsyncError:
        return {}
    return {SUMMARY: report.to_html(figures, back="index.html")}


def choose_term(network: Network, exchanges: list[dict[str, Any]], term: str | None = None,
                today: dt.date | None = None) -> Term | None:
    """The term to show: ``term`` if given; else the one holding today; else the latest with exchanges."""
    if term:
        return network.term(term)
    if not network.terms:
        return None
    today = today or dt.date.today()
    for candidate in network.terms.values():
        if candidate.start <= today <= candidate.end:
            return candidate
    with_exchanges = [network.terms[e["term"]] for e in exchanges if e.get("term") in network.terms]
    if with_exchanges:
        return max(with_exchanges, key=lambda tm: tm.start)
    upcoming = [tm for tm in network.terms.values() if tm.start > today]
    if upcoming:
        return min(upcoming, key=lambda tm: tm.start)
    return max(network.terms.values(), key=lambda tm: tm.start)


def build_site(
    union: dict[str, Any],
    network: Network,
    exchanges: list[dict[str, Any]],
    out_dir: str | os.PathLike[str],
    term: str | None = None,
    audience: str | None = None,
    files_root: Path | None = None,
    today: dt.date | None = None,
    pages: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Write the site for ``union`` into ``out_dir`` all at once (a folder swap); return a summary."""
    out = Path(out_dir).expanduser().resolve()
    audience = audience or union.get("audience", "public")
    _check_out_dir(out, files_root)
    chosen = choose_term(network, exchanges, term, today)
    site = _Site(union, network, exchanges, chosen, audience, files_root, pages)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".libsync-tmp", dir=out.parent))
    try:
        summary = site.write(tmp)
        _swap_in(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise LibsyncError("site.write_failed", path=str(out), reason=os_reason(exc)) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    summary["output"] = str(out)
    return summary


def _check_out_dir(out: Path, files_root: Path | None) -> None:
    if out.exists() and not out.is_dir():
        raise LibsyncError("site.out_not_dir", path=str(out))
    if files_root is not None:
        root = Path(files_root).resolve()
        if out == root or root.is_relative_to(out):
            raise LibsyncError("site.out_is_repo", path=str(out))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise LibsyncError("site.out_not_empty", path=str(out))


def _swap_in(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp``: readers see the old site or the new one, never a mix."""
    os.chmod(tmp, 0o755)
    if not out.exists():
        os.replace(tmp, out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# HTML helpers
# --------------------------------------------------------------------------------------------
def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def L(key: str, tag: str = "span", **params: Any) -> str:
    """A catalogue message as markup: Vietnamese text, re-translated in the browser on switch."""
    args = f" data-i18n-args=\"{esc(json.dumps(params, ensure_ascii=False))}\"" if params else ""
    return f'<{tag} data-i18n="{esc(key)}"{args}>{esc(t(key, "vi", **params))}</{tag}>'


def page_id(cluster_id: str) -> str:
    """A file-name-safe id for a cluster (ids are ``c-<hash>``; anything else is hashed)."""
    if SAFE_ID.match(cluster_id or ""):
        return cluster_id
    return "x-" + hashlib.sha1(str(cluster_id).encode("utf-8")).hexdigest()[:16]


def _date(value: str | dt.date | None) -> str:
    day = parse_date(value)
    return day.strftime("%d/%m/%Y") if day else esc(value or "")


def _page(*, title: str, body: str, depth: int, active: str, site_title: str, scripts: tuple[str, ...] = ()) -> str:
    up = "../" * depth
    nav = []
    for key, href in (("search", "index.html"), ("libraries", "index.html#libraries"), ("calendar", "calendar.html")):
        current = ' aria-current="page"' if key == active else ""
        nav.append(f'<li><a href="{up}{href}"{current}>{L("site.ui.nav." + key)}</a></li>')
    extra = "".join(f'<script src="{up}{s}"></script>' for s in scripts)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} — {esc(site_title)}</title>"
        f'<link rel="icon" href="data:,"><link rel="stylesheet" href="{up}assets/site.css"></head>'
        f'<body data-root="{up}">'
        f'<a class="skip" href="#main">{L("site.ui.skip")}</a>'
        '<header class="top"><div class="wrap">'
        f'<a class="brand" href="{up}index.html">{esc(site_title)}</a>'
        f'<button type="button" class="lang" id="lang-switch" lang="en" data-i18n="site.ui.lang.switch"'
        f' data-i18n-attr="aria-label:site.ui.lang.switch_label" aria-label="{esc(t("site.ui.lang.switch_label", "vi"))}">'
        f'{esc(t("site.ui.lang.switch", "vi"))}</button>'
        f'<nav aria-label="{esc(t("site.ui.nav.label", "vi"))}" data-i18n-attr="aria-label:site.ui.nav.label"><ul>{"".join(nav)}</ul></nav>'
        "</div></header>"
        f'<main id="main" class="wrap" tabindex="-1">{body}</main>'
        f'<footer class="wrap foot">{L("site.ui.footer")}</footer>'
        f'<script src="{up}assets/i18n.js"></script><script src="{up}assets/site.js"></script>{extra}'
        "</body></html>\n"
    )


def _js_data(call: str, *args: object) -> str:
    """``LSD.<call>(<json args>);`` — data as a script that works on file:// too."""
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    # Defence in depth: no "</" or HTML comment openers in a script, even though it is not inline.
    body = body.replace("</", "<\\/").replace("<!--", "<\\!--")
    return f"LSD.{call}({body});\n"


def _write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data)


# --------------------------------------------------------------------------------------------
# the site
# --------------------------------------------------------------------------------------------
class _Site:
    def __init__(self, union: dict[str, Any], network: Network, exchanges: list[dict[str, Any]], term: Term | None,
                 audience: str, files_root: str | os.PathLike[str] | None,
                 pages: dict[str, str] | None = None) -> None:
        self.network = network
        self.pages = dict(pages or {})   # finished pages written as they are (summary.html)
        self.audience = audience
        self.term = term
        self.files_root = Path(files_root).resolve() if files_root else None
        info = union.get("network") or {}
        self.site_title = network.data.get("network", {}).get("site_title") or info.get("name") or network.name or "libsync"
        libs = union.get("libraries") or [{"code": c, "name": lib.get("name", c)} for c, lib in network.libraries.items()]
        self.libraries = [{"code": lib["code"], "name": lib.get("name") or network.library_name(lib["code"])} for lib in libs]
        self.lib_index = {lib["code"]: i for i, lib in enumerate(self.libraries)}
        self.lib_names = {lib["code"]: lib["name"] for lib in self.libraries}
        clusters = [c for c in union.get("clusters", []) if c.get("title")]
        # Title order: the titles a query finds sit side by side, so the first page of results
        # needs one or two display chunks rather than twenty.
        clusters.sort(key=lambda c: (fold(c.get("title")), str(c.get("id"))))
        self.clusters = clusters
        self.by_member: dict[tuple[str | None, str | None], dict[str, Any]] = {}   # (library, record id)
        for cluster in clusters:
            for member in cluster.get("members") or []:
                self.by_member[(member.get("library"), member.get("record"))] = cluster
        self.exchanges = [
            e for e in exchanges
            if term is not None and e.get("term") == term.id and e.get("status") != "cancelled"
        ]
        self.exchanges.sort(key=lambda e: (str(e.get("planned", {}).get("handover", "")), e.get("from", ""), e.get("to", ""), e.get("id", "")))

    # -- write everything ------------------------------------------------------------------------
    def write(self, out: Path) -> dict[str, Any]:
        sizes = {"index": 0, "index_gzip": 0, "pages": 0}
        self._assets(out)
        docs, facets, words, meta = self._index()
        meta["buckets"] = max(1, min(256, -(-len(self.clusters) // 100)))
        sizes.update(self._write_index(out, docs, facets, words, meta))
        buckets = self._title_data(out)
        _write(out / "title.html", self._title_page())
        for lib in self.libraries:
            _write(out / "lib" / f"{lib['code']}.html", self._library_page(lib))
        _write(out / "calendar.html", self._calendar_page())
        _write(out / "index.html", self._index_page(meta))
        for name, text in self.pages.items():
            _write(out / name, text)
        copied = self._copy_files(out)
        summary = {
            "audience": self.audience,
            "term": self.term.id if self.term else None,
            "titles": len(self.clusters),
            "libraries": len(self.libraries),
            "exchanges": len(self.exchanges),
            "files_copied": copied,
            "index_bytes": sizes["index"],
            "index_gzip_bytes": sizes["index_gzip"],
            "shards": len(meta["shards"]),
            "title_buckets": buckets,
            "pages": sorted(self.pages),
        }
        _write(out / MARKER, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        return summary

    def _assets(self, out: Path) -> None:
        source = resources.files("libsync.site") / "assets"
        for name in ("site.css", "site.js", "search.js", "title.js"):
            _write(out / "assets" / name, (source / name).read_text(encoding="utf-8"))
        prefixes = ("site.ui.", "site.type.", "site.access.", "site.status.")
        texts = {lang: {key: text for key, text in sorted(messages(lang).items()) if key.startswith(prefixes)}
                 for lang in ("vi", "en")}
        _write(out / "assets" / "i18n.js", "window.LS_I18N=" + json.dumps(texts, ensure_ascii=False, separators=(",", ":")) + ";\n")

    # -- search index ------------------------------------------------------------------------------
    def _index(self) -> tuple[list[list[Any]], dict[str, list[Any]], dict[str, dict[str, list[int]]], dict[str, Any]]:
        """The search data: one display row per title, the filter values, the word shards, meta."""
        subjects = sorted({nfc(c["curriculum"]["subject"]) for c in self.clusters if (c.get("curriculum") or {}).get("subject")}, key=fold)
        subject_index = {s: i + 1 for i, s in enumerate(subjects)}
        grades = sorted({int(c["curriculum"]["grade"]) for c in self.clusters if isinstance((c.get("curriculum") or {}).get("grade"), int)})
        # textbook series by their canonical names: "KNTT" and "Kết nối tri thức với cuộc sống" are one value
        series_of = [cluster_series(c) for c in self.clusters]
        series_list = sorted({s for s in series_of if s}, key=fold)
        series_index = {s: i + 1 for i, s in enumerate(series_list)}
        type_count: defaultdict[str, int] = defaultdict(int)
        docs: list[list[Any]] = []
        facets: dict[str, list[Any]] = {"ty": [], "gr": [], "su": [], "se": [], "lm": [], "am": []}
        words: dict[str, list[int]] = defaultdict(list)  # word -> [doc * 4 + best field], docs ascending
        for n, cluster in enumerate(self.clusters):
            if n % 500 == 0:
                progress.step("site", n, len(self.clusters))
            kind = cluster.get("type") if cluster.get("type") in TYPES else "other"
            type_count[kind] += 1
            curriculum = cluster.get("curriculum") or {}
            grade = curriculum.get("grade") if isinstance(curriculum.get("grade"), int) else 0
            subject = nfc(curriculum["subject"]) if curriculum.get("subject") else ""
            holdings = [h for h in cluster.get("holdings") or [] if h.get("library") in self.lib_index]
            docs.append([
                page_id(cluster.get("id", "")), cluster.get("title", ""), cluster.get("subtitle") or "",
                "; ".join(cluster.get("authors") or []), cluster.get("year") or 0, kind, grade, subject,
                [[h["library"], int(h.get("copies") or 0), int(h.get("available") or 0), int(h.get("away") or 0)] for h in holdings],
                cluster.get("access") or "catalog",
            ])
            facets["ty"].append(TYPES.index(kind))
            facets["gr"].append(grade)
            facets["su"].append(subject_index.get(subject, 0))
            facets["se"].append(series_index.get(series_of[n] or "", 0))
            facets["lm"].append(sorted({self.lib_index[h["library"]] for h in holdings}))
            facets["am"].append(sorted({self.lib_index[h["library"]] for h in holdings if int(h.get("available") or 0) > 0}))
            best: dict[str, int] = {}
            first = _words(cluster.get("title"))[:1]
            if first:
                best[first[0]] = FIELD_TITLE_START
            for field, text in _search_texts(cluster):
                for word in _words(text):
                    if word not in best or FIELD_ORDER[best[word]] > FIELD_ORDER[field]:
                        best[word] = field
            for field, text in _tone_texts(cluster):
                for word in _marked_words(text):
                    best.setdefault(TONE_PREFIX + word, field)
            # posting: doc * 8 + field * 2 + (1 if a copy is on a shelf now) — the search adds a
            # small bonus for titles one can borrow today
            base = n * 8 + (1 if any(int(h.get("available") or 0) > 0 for h in holdings) else 0)
            for word, field in best.items():
                words[word].append(base + field * 2)
        shards = _shard(words)
        meta = {
            "title": self.site_title,
            "audience": self.audience,
            "count": len(docs),
            "chunk": CHUNK,
            "libraries": self.libraries,
            "types": [[k, type_count[k]] for k in TYPES if type_count[k]],
            "type_order": list(TYPES),   # facets.ty holds positions in this list
            "grades": grades,
            "subjects": subjects,
            "series": series_list,
            "shards": sorted(shards),
            "maxkey": max((len(k) for k in shards), default=1),
        }
        return docs, facets, shards, meta

    def _write_index(self, out: Path, docs: list[list[Any]], facets: dict[str, list[Any]],
                     shards: dict[str, dict[str, list[int]]], meta: dict[str, Any]) -> dict[str, int]:
        import gzip

        total = gz = 0

        def put(rel: str, text: str) -> None:
            nonlocal total, gz
            data = text.encode("utf-8")
            total += len(data)
            gz += len(gzip.compress(data, 6))
            _write(out / rel, text)

        put("data/meta.js", _js_data("meta", meta))
        put("data/f.js", _js_data("facets", facets))
        for key, entries in shards.items():
            put(f"data/w/{key.encode('utf-8').hex()}.js", _js_data("w", key, entries))
        for start in range(0, len(docs), CHUNK):
            put(f"data/d/{start // CHUNK}.js", _js_data("d", start // CHUNK, docs[start:start + CHUNK]))
        return {"index": total, "index_gzip": gz}

    # -- title pages -------------------------------------------------------------------------------
    def _title_data(self, out: Path) -> int:
        buckets = max(1, min(256, -(-len(self.clusters) // 100)))
        grouped: list[dict[str, dict[str, Any]]] = [{} for _ in range(buckets)]
        codes = set(self.lib_index)
        for cluster in self.clusters:
            pid = page_id(cluster.get("id", ""))
            grouped[bucket_of(pid, buckets)][pid] = title_entry(cluster, codes)
        for n, entries in enumerate(grouped):
            _write(out / "data" / "t" / f"{n}.js", _js_data("t", n, entries))
        return buckets

    def _title_page(self) -> str:
        body = (
            f'<p><a href="index.html" class="back">{L("site.ui.title.back")}</a></p>'
            f'<article id="title" aria-live="polite"><p class="status">{L("site.ui.search.loading")}</p></article>'
            f'<noscript><p>{L("site.ui.search.noscript")}</p></noscript>'
        )
        return _page(title=t("site.ui.title.page", "vi"), body=body, depth=0, active="",
                     site_title=self.site_title, scripts=("data/meta.js", "assets/title.js"))

    # -- library pages -----------------------------------------------------------------------------
    @functools.cached_property
    def _stats(self) -> dict[str, dict[str, Any]]:
        """Per library, in one pass: titles held, copies, copies available, titles by type."""
        out: dict[str, dict[str, Any]] = {}
        for c in self.clusters:
            kind = c.get("type") if c.get("type") in TYPES else "other"
            for h in c.get("holdings") or []:
                entry = out.setdefault(h.get("library"), {"titles": 0, "copies": 0, "available": 0, "types": defaultdict(int)})
                entry["titles"] += 1
                entry["copies"] += int(h.get("copies") or 0)
                entry["available"] += int(h.get("available") or 0)
                entry["types"][kind] += 1
        return out

    def _library_stats(self) -> dict[str, dict[str, Any]]:
        return self._stats

    def _library_page(self, lib: dict[str, Any]) -> str:
        code = lib["code"]
        info = self.network.libraries.get(code, {})
        stats = self._library_stats().get(code, {"titles": 0, "copies": 0, "available": 0, "types": {}})
        held, copies, available, by_type = range(stats["titles"]), stats["copies"], stats["available"], defaultdict(int, stats["types"])
        rows = []
        for label, value in (("site.ui.lib.address", info.get("address")), ("site.ui.lib.level", info.get("level"))):
            if value:
                rows.append(f"<dt>{L(label)}</dt><dd>{esc(value)}</dd>")
        if code == self.network.lead:
            rows.append(f"<dt>{L('site.ui.lib.role')}</dt><dd>{L('site.ui.lib.lead')}</dd>")
        rows.append(f"<dt>{L('site.ui.lib.titles')}</dt><dd>{len(held)}</dd>")
        rows.append(f"<dt>{L('site.ui.lib.copies')}</dt><dd>{copies}</dd>")
        rows.append(f"<dt>{L('site.ui.lib.available')}</dt><dd>{available}</dd>")
        types = "".join(
            f'<li><a href="../index.html#lib={esc(code)}&amp;type={esc(k)}">{L("site.type." + k)}</a>: {by_type[k]}</li>'
            for k in TYPES if by_type[k]
        )
        moves = self._moves_of(code)
        body = (
            f"<h1>{esc(lib['name'])}</h1>"
            f'<dl class="facts">{"".join(rows)}</dl>'
            f'<p><a class="button" href="../index.html#lib={esc(code)}">{L("site.ui.lib.search_here")}</a></p>'
            + (f"<h2>{L('site.ui.lib.by_type')}</h2><ul>{types}</ul>" if types else "")
            + f"<h2>{L('site.ui.lib.rotation')}</h2>"
            + (f"<p>{L('site.ui.cal.term', term=self.term.name)}</p>" if self.term else "")
            + moves
            + f'<p><a href="../calendar.html">{L("site.ui.lib.full_calendar")}</a></p>'
        )
        return _page(title=lib["name"], body=body, depth=1, active="libraries", site_title=self.site_title)

    def _moves_of(self, code: str) -> str:
        events = [ev for ev in self._events() if code in (ev["from"], ev["to"])]
        if not events:
            return f"<p>{L('site.ui.cal.none')}</p>"
        return self._events_table(events, depth=1, viewer=code)

    # -- rotation calendar -------------------------------------------------------------------------
    def _events(self) -> list[dict[str, Any]]:
        """Hand-overs and returns of the term's exchanges, by date."""
        events: list[dict[str, Any]] = []
        for ex in self.exchanges:
            planned = ex.get("planned") or {}
            titles: dict[str, list[Any]] = {}   # cluster id -> [cluster, copies]
            hidden = 0
            for copy in ex.get("copies") or []:
                cluster = self.by_member.get((ex.get("from"), copy.get("record")))
                if cluster is None:
                    hidden += 1
                    continue
                entry = titles.setdefault(cluster["id"], [cluster, 0])
                entry[1] += 1
            base = {"exchange": ex, "titles": list(titles.values()), "hidden": hidden, "count": len(ex.get("copies") or [])}
            events.append({**base, "kind": "handover", "date": planned.get("handover"), "from": ex.get("from"), "to": ex.get("to")})
            events.append({**base, "kind": "return", "date": planned.get("return_due"), "from": ex.get("to"), "to": ex.get("from")})
        events.sort(key=lambda e: (str(e["date"] or ""), e["kind"] != "handover", e["from"] or "", e["to"] or ""))
        return events

    def _events_table(self, events: list[dict[str, Any]], depth: int, viewer: str | None = None) -> str:
        up = "../" * depth
        rows = []
        for ev in events:
            ex = ev["exchange"]
            kind = "site.ui.cal.handover" if ev["kind"] == "handover" else "site.ui.cal.return"
            if viewer:
                kind = "site.ui.cal.arrives" if ev["to"] == viewer else "site.ui.cal.leaves"
            items = []
            for cluster, n in ev["titles"]:
                items.append(f'<li><a href="{up}title.html#{esc(page_id(cluster["id"]))}">{esc(cluster["title"])}</a> — {L("site.ui.cal.copies", n=n)}</li>')
            if ev["hidden"]:
                items.append(f"<li>{L('site.ui.cal.hidden', n=ev['hidden'])}</li>")
            details = (
                f"<details><summary>{L('site.ui.cal.copies', n=ev['count'])}</summary><ul>{''.join(items)}</ul></details>"
                if items else L("site.ui.cal.copies", n=ev["count"])
            )
            route = (
                f'<a href="{up}lib/{esc(ev["from"])}.html">{esc(self.lib_names.get(ev["from"], ev["from"]))}</a>'
                f' <span aria-hidden="true">→</span><span class="sr-only"> {L("site.ui.cal.to")} </span> '
                f'<a href="{up}lib/{esc(ev["to"])}.html">{esc(self.lib_names.get(ev["to"], ev["to"]))}</a>'
            )
            label = f"<br><small>{esc(ex['title'])}</small>" if ex.get("title") and self.audience != "public" else ""
            rows.append(
                f"<tr><td data-label=\"{esc(t('site.ui.cal.date', 'vi'))}\">{_date(ev['date'])}</td>"
                f"<td>{L(kind)}</td><td>{route}{label}</td>"
                f"<td>{L('site.status.' + str(ex.get('status')))}</td><td>{details}</td></tr>"
            )
        head = "".join(f'<th scope="col">{L(k)}</th>' for k in (
            "site.ui.cal.date", "site.ui.cal.event", "site.ui.cal.route", "site.ui.cal.status", "site.ui.cal.what"))
        return f'<div class="table"><table class="cal"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'

    def _calendar_page(self) -> str:
        if self.term is None:
            body = f"<h1>{L('site.ui.cal.title')}</h1><p>{L('site.ui.cal.no_term')}</p>"
        else:
            term = self.term
            blackouts = "".join(
                f"<li>{esc(b.name)}: {_date(b.start)} – {_date(b.end)}</li>"
                for b in term.blackouts if b.end >= term.start and b.start <= term.end
            )
            events = self._events()
            body = (
                f"<h1>{L('site.ui.cal.title')}</h1>"
                f"<p>{L('site.ui.cal.term', term=term.name)} ({_date(term.start)} – {_date(term.end)})</p>"
                + (self._events_table(events, depth=0) if events else f"<p>{L('site.ui.cal.none')}</p>")
                + (f"<h2>{L('site.ui.cal.blackouts')}</h2><ul>{blackouts}</ul>" if blackouts else "")
            )
        return _page(title=t("site.ui.cal.title", "vi"), body=body, depth=0, active="calendar", site_title=self.site_title)

    # -- search page -------------------------------------------------------------------------------
    def _index_page(self, meta: dict[str, Any]) -> str:
        def options(pairs: list[tuple[str, str]]) -> str:
            return "".join(f'<option value="{esc(v)}">{label}</option>' for v, label in pairs)

        any_opt = [("", L("site.ui.filter.any"))]
        libs = options(any_opt + [(lib["code"], esc(lib["name"])) for lib in self.libraries])
        types = options(any_opt + [(k, L("site.type." + k)) for k, _ in meta["types"]])
        grades = options(any_opt + [(str(g), L("site.ui.filter.grade_n", n=g)) for g in meta["grades"]])
        subjects = options(any_opt + [(s, esc(s)) for s in meta["subjects"]])
        series = options(any_opt + [(s, esc(s)) for s in meta["series"]])

        def select(name: str, label_key: str, opts: str) -> str:
            return (f'<div class="field"><label for="f-{name}">{L(label_key)}</label>'
                    f'<select id="f-{name}" name="{name}">{opts}</select></div>')

        library_list = "".join(
            f'<li><a href="lib/{esc(lib["code"])}.html">{esc(lib["name"])}</a></li>' for lib in self.libraries
        )
        body = (
            f'<h1 class="home-title">{esc(self.site_title)}</h1>'
            f'<form id="search" role="search" class="search" action="index.html" autocomplete="off">'
            f'<label for="q" class="big">{L("site.ui.search.label")}</label>'
            f'<div class="qrow"><input id="q" name="q" type="search" inputmode="search" enterkeyhint="search"'
            f' aria-describedby="q-hint" placeholder="{esc(t("site.ui.search.placeholder", "vi"))}"'
            f' data-i18n-attr="placeholder:site.ui.search.placeholder">'
            f'<button type="submit">{L("site.ui.search.button")}</button></div>'
            f'<p id="q-hint" class="hint">{L("site.ui.search.hint")}</p>'
            f'<fieldset class="filters"><legend>{L("site.ui.filter.legend")}</legend>'
            + select("lib", "site.ui.filter.library", libs)
            + select("type", "site.ui.filter.type", types)
            + select("grade", "site.ui.filter.grade", grades)
            + select("subject", "site.ui.filter.subject", subjects)
            + select("series", "site.ui.filter.series", series)
            + f'<div class="field check"><input type="checkbox" id="f-avail" name="avail" value="1">'
            f'<label for="f-avail">{L("site.ui.filter.available")}</label></div>'
            "</fieldset></form>"
            f'<p id="status" class="status" role="status" aria-live="polite"></p>'
            f'<ol id="results" class="results" aria-labelledby="status"></ol>'
            f'<p><button type="button" id="more" class="more" hidden>{L("site.ui.search.more")}</button></p>'
            f'<noscript><p>{L("site.ui.search.noscript")}</p></noscript>'
            f'<section id="libraries" aria-labelledby="libs-h"><h2 id="libs-h">{L("site.ui.nav.libraries")}</h2>'
            f'<ul class="libs">{library_list}</ul>'
            f'<p><a href="calendar.html">{L("site.ui.nav.calendar")}</a></p>'
            + (f'<p><a href="{SUMMARY}">{L("site.ui.nav.summary")}</a></p>' if SUMMARY in self.pages else "")
            + "</section>"
        )
        return _page(title=t("site.ui.nav.search", "vi"), body=body, depth=0, active="search",
                     site_title=self.site_title, scripts=("data/meta.js", "assets/search.js"))

    # -- digital files -----------------------------------------------------------------------------
    def _copy_files(self, out: Path) -> int:
        """Copy repository files (``digital.url: files/...``) of downloadable titles into the site."""
        if self.files_root is None:
            return 0
        copied = 0
        for cluster in self.clusters:
            url = (cluster.get("digital") or {}).get("url") or ""
            if cluster.get("access") != "download" or not url.startswith("files/"):
                continue
            source = (self.files_root / url).resolve()
            files_dir = (self.files_root / "files").resolve()
            if not source.is_relative_to(files_dir) or not source.is_file():
                continue   # never anything outside the repository's files/ (validate rejects such URLs)
            target = out / "files" / source.relative_to(files_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied += 1
        return copied


def _search_texts(cluster: dict[str, Any]) -> Iterator[tuple[int, str | None]]:
    """(field, text) pairs that the search index folds into words."""
    yield FIELD_TITLE, cluster.get("title")
    yield FIELD_TITLE, cluster.get("subtitle")
    yield FIELD_TITLE, cluster.get("parallel_title")
    for author in cluster.get("authors") or []:
        yield FIELD_AUTHOR, author
    yield FIELD_AUTHOR, cluster.get("series")
    curriculum = cluster.get("curriculum") or {}
    yield FIELD_AUTHOR, curriculum.get("subject")
    yield FIELD_OTHER, curriculum.get("series")
    if curriculum.get("grade"):
        yield FIELD_OTHER, str(curriculum["grade"])
    for key in ("publisher", "volume", "edition"):
        yield FIELD_OTHER, cluster.get(key)
    if cluster.get("year"):
        yield FIELD_OTHER, str(cluster["year"])
    for key in ("isbn", "issn"):
        if cluster.get(key):
            yield FIELD_OTHER, re.sub(r"[\s-]", "", str(cluster[key]))
    for key in ("subjects", "keywords"):
        for value in cluster.get(key) or []:
            yield FIELD_OTHER, value
    for value in (cluster.get("classification") or {}).values():
        yield FIELD_OTHER, str(value)


def _tone_texts(cluster: dict[str, Any]) -> Iterator[tuple[int, str | None]]:
    """(field, text) pairs whose words are also indexed with their diacritics (see TONE_PREFIX)."""
    yield FIELD_TITLE, cluster.get("title")
    yield FIELD_TITLE, cluster.get("subtitle")
    for author in cluster.get("authors") or []:
        yield FIELD_AUTHOR, author


@functools.lru_cache(maxsize=200_000)
def _marked_words(text: str | None) -> tuple[str, ...]:
    """The identity words of ``text`` that carry a diacritic ("Mè đen" → ("me`", "đen"))."""
    return tuple(w for w in identity_words(str(text)) if not is_bare(w)) if text else ()


@functools.lru_cache(maxsize=200_000)
def _words(text: str | None) -> tuple[str, ...]:
    """Folded words, memoised: publishers, authors, subjects and series repeat a lot."""
    key = fold(text)
    return tuple(key.split()) if key else ()


def _postings(values: list[int]) -> list[int]:
    """Ascending ``doc * 8 + field * 2 + available`` values, delta-encoded."""
    out, last = [], 0
    for v in values:
        out.append(v - last)
        last = v
    return out


def _shard(words: dict[str, list[int]]) -> dict[str, dict[str, list[int]]]:
    """Group words into shards keyed by prefix; a word lives in the longest key that prefixes it."""
    encoded = {w: _postings(d) for w, d in words.items()}
    shards: dict[str, dict[str, list[int]]] = {}

    def size(ws: Iterable[str]) -> int:
        return sum(len(w) + 4 + 3 * len(encoded[w]) for w in ws)

    def place(key: str, ws: list[str]) -> None:
        depth = len(key)
        if size(ws) <= SHARD_LIMIT or depth >= MAX_KEY:
            shards[key] = {w: encoded[w] for w in ws}
            return
        short = [w for w in ws if len(w) <= depth]
        if short:
            shards[key] = {w: encoded[w] for w in short}
        groups: dict[str, list[str]] = defaultdict(list)
        for w in ws:
            if len(w) > depth:
                groups[w[:depth + 1]].append(w)
        for sub, members in groups.items():
            place(sub, members)

    first: dict[str, list[str]] = defaultdict(list)
    for w in sorted(encoded):
        first[w[:2]].append(w)
    for key, ws in first.items():
        place(key, ws)
    return shards


# --------------------------------------------------------------------------------------------
# title data: one bucket file per hash of the cluster id, rendered by assets/title.js
# --------------------------------------------------------------------------------------------
TITLE_FIELDS = ("title", "subtitle", "parallel_title", "authors", "publisher", "place", "year", "edition", "isbn",
                "issn", "series", "volume", "type", "language", "pages", "classification", "curriculum", "subjects",
                "keywords", "summary")


def bucket_of(cluster_id: str, buckets: int) -> int:
    """FNV-1a (32 bit) of the UTF-8 id modulo ``buckets`` — assets/title.js computes the same."""
    h = 0x811C9DC5
    for byte in cluster_id.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h % buckets


def title_entry(c: dict[str, Any], lib_codes: Container[str]) -> dict[str, Any]:
    """What a title page shows: a whitelist of the cluster's fields (never members or record ids)."""
    out = {k: c[k] for k in TITLE_FIELDS if c.get(k) not in (None, "", [], {})}
    out["type"] = c.get("type") if c.get("type") in TYPES else "other"
    access = c.get("access") if c.get("access") in ACCESS else "catalog"
    out["access"] = access
    digital = c.get("digital") or {}
    shown = {k: digital[k] for k in ("format", "licence", "size") if digital.get(k) not in (None, "")}
    url = digital.get("url") or ""
    if access == "download" and (url.startswith(("https://", "http://")) or url.startswith("files/")):
        shown["url"] = url
    if shown:
        out["digital"] = shown
    out["holdings"] = [
        {k: h[k] for k in ("library", "call_number", "copies", "available", "away") if h.get(k) is not None}
        for h in c.get("holdings") or [] if h.get("library") in lib_codes
    ]
    return out
