"""`libsync init` and `libsync codeowners`: a new network repository and who reviews what.

A new repository gets a network.yaml template (valid as it is, to be edited), the JSON
Schemas (for editors; libsync itself validates with the schemas it ships), empty data
folders, CI workflows (validation of every pull request, the public web catalogue on
GitHub Pages), CODEOWNERS generated from network.yaml, a pre-commit configuration, and a
first Git commit.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

from libsync import schemas, yamlio
from libsync.atomic import write_atomic
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.network import Network, school_year_of
from libsync.validation import gate

# The project's home (the pre-commit hooks and the .po files name it too). libsync is not on the
# package index: a new network's CI installs it from Git, pinned to a commit (default_libsync_source).
PROJECT_GIT_URL = "https://github.com/libsync/libsync"
PRE_COMMIT_REPO = PROJECT_GIT_URL
# the fields of a library that the header and signatures of the minutes need (init asks for them)
HEADER_FIELDS = ("authority", "place", "principal", "librarian")
CODEOWNERS_PATH = ".github/CODEOWNERS"


def default_libsync_source() -> str | None:
    """Where a new network's CI installs libsync from, when ``init`` is not told: the Git commit
    this libsync was installed from (pip records it, PEP 610); for an editable install from a
    checkout (or libsync run from one), that checkout's commit at its ``origin`` URL. None when
    no place a GitHub runner can fetch from is known (a checkout without a public ``origin``):
    ``init`` then says so and writes an install step that stops with that message."""
    return source_of_install(_install_record())


def _install_record() -> dict[str, Any] | None:
    """pip's record of where this libsync was installed from (``direct_url.json``); None when
    there is none (libsync run from a checkout without being installed)."""
    import importlib.metadata
    import json

    try:
        text = importlib.metadata.distribution("libsync").read_text("direct_url.json")
        info = json.loads(text) if text else None
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def source_of_install(info: dict[str, Any] | None) -> str | None:
    """``URL@commit`` for what pip recorded (``info``): a Git install as it was; an editable install
    from a folder (or, with no record, the checkout this module lives in) by that checkout's commit
    and its ``origin`` URL (``checkout_source``); None otherwise."""
    from urllib.parse import unquote, urlsplit

    found = git_source_of(info)
    if found:
        return found
    if info is None:
        here = Path(__file__).resolve().parent.parent
        return checkout_source(here) if (here / ".git").exists() else None
    dir_info, url = info.get("dir_info"), info.get("url")
    if isinstance(dir_info, dict) and dir_info.get("editable") and isinstance(url, str) and url.startswith("file:"):
        return checkout_source(Path(unquote(urlsplit(url).path)))
    return None


def checkout_source(folder: Path) -> str | None:
    """``origin-URL@commit`` of the Git checkout ``folder`` (its HEAD), when ``origin`` is a server
    a GitHub runner can reach (``https://``, ``ssh://``, ``git://``, ``git@host:path``; no
    password or token); None for no checkout, no ``origin``, or an ``origin`` on this computer."""
    import git

    try:
        repo = git.Repo(folder)
        sha = repo.head.commit.hexsha
        url = repo.git.remote("get-url", "origin").strip()
    except (git.GitError, ValueError, OSError):
        return None
    if not re.match(r"^((https?|ssh|git)://|git@[^:/]+:)", url):
        return None
    return git_source_of({"url": url, "vcs_info": {"vcs": "git", "commit_id": sha}})


def is_local_source(spec: str) -> bool:
    """Whether the pip requirement ``spec`` names a folder, wheel or Git repository on this
    computer, which a GitHub-hosted runner cannot see."""
    target = spec.split(" @ ", 1)[1] if " @ " in spec else spec
    return "file:" in target or target.startswith(("/", ".", "~")) or bool(re.match(r"^[A-Za-z]:[\\/]", target))


def git_source_of(info: object) -> str | None:
    """``URL@commit`` from pip's record of where it installed from (``direct_url.json``), when
    that is a Git server every CI runner can fetch from; None otherwise."""
    from urllib.parse import urlsplit

    vcs = info.get("vcs_info") if isinstance(info, dict) else None
    url = info.get("url") if isinstance(info, dict) else None
    if not (isinstance(vcs, dict) and vcs.get("vcs") == "git" and isinstance(url, str)
            and isinstance(vcs.get("commit_id"), str)):
        return None
    # a commit on a server (not this computer's folder) is one GitHub's runners can fetch too; a
    # URL with a user and password or token (or pip's ${VARIABLE} for one) is never written into
    # a public workflow, and would be refused there anyway
    user = urlsplit(url).username
    if url.startswith("file:") or "$" in url or (user is not None and user != "git") \
            or not re.fullmatch(r"[0-9a-f]{7,64}", vcs["commit_id"]):
        return None
    return f"{url}@{vcs['commit_id']}"


def pip_requirement(source: str) -> str:
    """The pip requirement of the CI's install step for ``source``: a Git URL (``https://…``,
    ``git+…``, ``git@…``, with ``@tag`` or ``@commit``) becomes ``libsync @ git+URL``; a folder or
    a wheel on this computer (a test, a school's own runner) its absolute path; anything else
    (``libsync @ …``, ``libsync==0.1.0`` from a private index) is used as it is."""
    source = source.strip()
    # written inside "…" in the workflow's shell line: a quote, $ (also GitHub's ${{ }}), a
    # backquote or a backslash would end or change it; a control character a line; a leading "-"
    # would be read by pip as one of its options (--index-url=…), not as what to install
    if not source or source.startswith("-") or any(c in source for c in "\"$`\\") \
            or any(ord(c) < 32 or ord(c) == 127 for c in source):
        raise LibsyncError("init.bad_source", exit_code=2, source=source)
    if source.startswith("git+file:///"):   # a PEP 508 URL needs a host: Git takes localhost
        source = "git+file://localhost/" + source[len("git+file:///"):]
    if source.startswith("git+"):
        return f"libsync @ {source}"
    if re.match(r"^(https?|ssh)://", source):
        return f"libsync @ git+{source}"
    if re.match(r"^git@[^:]+:", source):
        host, _, path = source[len("git@"):].partition(":")
        return f"libsync @ git+ssh://git@{host}/{path}"
    local = Path(source).expanduser()
    if local.exists():
        return str(local.resolve())
    return source


def network_template(network_id: str, name: str, libraries: list[tuple[str, str]], lead: str | None,
                     today: dt.date | None = None, details: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    """A valid network.yaml to edit: the given libraries (or two placeholders) and this school year.

    ``details``: per library code, what the minutes' header and signatures need (``HEADER_FIELDS``:
    ``authority``, ``place``, ``principal``'s name, ``librarian``'s name); blank ones are left out,
    so the minutes name the field to fill rather than print a blank."""
    if not libraries:
        libraries = [("TV1", t("init.placeholder_library", n=1)), ("TV2", t("init.placeholder_library", n=2))]
    codes = [code for code, _ in libraries]
    lead = lead or codes[0]
    if lead not in codes:
        raise LibsyncError("repo.unknown_library", code=lead, known=", ".join(codes))
    y1, y2 = school_year_of(today or dt.date.today())
    year = f"{y1}-{y2}"
    return {
        "network": {"id": network_id, "name": name, "lead": lead},
        "libraries": [_library(code, lib_name, (details or {}).get(code) or {}) for code, lib_name in libraries],
        "groups": ([{
            "id": network_id, "name": name, "mode": "geography", "lead": lead, "members": codes,
            "shares": ["textbook", "teacher-book", "workbook", "reference", "periodical", "story", "picture", "digital"],
            "rotation": True,
        }] if len(codes) >= 2 else []),
        "calendar": {
            "school_days": ["mon", "tue", "wed", "thu", "fri"],
            "school_years": [{
                "id": year,
                "terms": [
                    {"id": f"{year}/HK1", "name": t("init.term_name", n="I", year=year), "start": f"{y1}-09-05", "end": f"{y2}-01-17"},
                    {"id": f"{year}/HK2", "name": t("init.term_name", n="II", year=year), "start": f"{y2}-01-19", "end": f"{y2}-05-31"},
                ],
                "blackouts": [],
            }],
        },
        "rotation": {"max_stay_days": 183, "batches": []},
    }


def _check_texts(name: str, libraries: list[tuple[str, str]], details: dict[str, dict[str, str]]) -> None:
    """Names and header lines are one line each: a line break or a tab (pasted with the text)
    would break the README's heading, the commit's subject and the minutes' letterhead."""
    values = [("--name", name)] + [("--library", f"{code}={lib}") for code, lib in libraries]
    values += [(f"--{field}", f"{code}={value}") for code, fields in details.items() for field, value in fields.items()]
    for option, value in values:
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            # shown as Python writes it: the line break as \n, Vietnamese letters as they are
            raise LibsyncError("init.bad_text", exit_code=2, option=option, value=repr(value)[1:-1])


def _library(code: str, name: str, details: dict[str, str]) -> dict[str, Any]:
    lib: dict[str, Any] = {"code": code, "name": name, "level": "THCS"}
    for key in ("authority", "place"):
        if details.get(key, "").strip():
            lib[key] = details[key].strip()
    principal, librarian = details.get("principal", "").strip(), details.get("librarian", "").strip()
    if principal:
        lib["principal"] = {"name": principal, "role": t("init.role.principal")}
    lib["librarians"] = [{"name": librarian, "role": t("init.role.librarian")}] if librarian else []
    if principal and librarian:
        # the usual stocktake committee: the principal chairs it, the librarian keeps its records
        lib["stocktake_committee"] = [{"name": principal, "role": t("init.role.committee_chair")},
                                      {"name": librarian, "role": t("init.role.committee_secretary")}]
    return lib


# CODEOWNERS has no quoting: a value with a space or a line break would add rules of its own
# ("x\n* @attacker"). Only handles and codes of the forms the network schema allows are written.
_HANDLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
_CODE = re.compile(r"[A-Z][A-Z0-9]{1,15}")


def _handles(people: object) -> list[str]:
    if not isinstance(people, list):
        return []
    return [f"@{p['github']}" for p in people
            if isinstance(p, dict) and isinstance(p.get("github"), str) and _HANDLE.fullmatch(p["github"])]


def codeowners_text(network: Network) -> str:
    """CODEOWNERS: each library's folders owned by its librarians; network.yaml and anything
    not otherwise owned by the lead library; an exchange by both its libraries (manifest ids
    begin with ``<from>-<to>-``, lower case, which validate checks)."""
    lead_handles = _handles(network.libraries.get(network.lead, {}).get("librarians", []))
    lines = [t("codeowners.header"), ""]
    if lead_handles:
        lines.append(f"*  {' '.join(lead_handles)}")
        lines.append(f"/network.yaml  {' '.join(lead_handles)}")
        lines.append(f"/.github/  {' '.join(lead_handles)}")
        lines.append(f"/catalog/  {' '.join(lead_handles)}")
    for code in sorted(network.libraries):
        handles = _handles(network.libraries[code].get("librarians", []))
        if not handles or not _CODE.fullmatch(code):
            continue
        lines.append(f"/records/{code}/  {' '.join(handles)}")
        lines.append(f"/inventories/{code}/  {' '.join(handles)}")
    pairs = set()
    for group in network.groups:
        members = group.get("members", [])
        pairs |= {(a, b) for a in members for b in members if a != b}
    for sender, receiver in sorted(pairs):
        if not (isinstance(sender, str) and isinstance(receiver, str) and _CODE.fullmatch(sender) and _CODE.fullmatch(receiver)):
            continue
        handles = _handles(network.libraries.get(receiver, {}).get("librarians", [])) + \
            _handles(network.libraries.get(sender, {}).get("librarians", []))
        if handles:
            lines.append(f"/exchanges/**/{sender.lower()}-{receiver.lower()}-*  {' '.join(dict.fromkeys(handles))}")
    return "\n".join(lines) + "\n"


def _install_step(pip_spec: str | None) -> str:
    """The workflow step that installs libsync: ``pip install "SPEC"``; with no source known, a
    step that stops the run with what to do (``init.ci_no_source``) rather than installing a
    package of that name from the index, which is not libsync."""
    if pip_spec is not None:
        return f"""      - name: Cài libsync
        run: >-
          python -m pip install "{pip_spec}"
"""
    # written inside "…" of a shell line: nothing from a translation may end or change it
    text = t("init.ci_no_source").replace('"', "'")
    text = "".join(c for c in text if c not in "$`\\" and ord(c) >= 32)
    return f"""      - name: Cài libsync
        run: |
          echo "::error title=libsync-source::{text}"
          exit 1
"""


def _workflow_validate(pip_spec: str | None) -> str:
    return f"""name: Kiểm tra dữ liệu thư viện
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
{_install_step(pip_spec)}      - name: Bộ nhớ đệm kiểm tra
        uses: actions/cache@v4
        with:
          path: ~/.cache/libsync
          key: libsync-validate-${{{{ github.sha }}}}
          restore-keys: libsync-validate-
      - name: Kiểm tra các tệp đã thay đổi (pull request)
        if: github.event_name == 'pull_request'
        run: libsync validate --format github --changed-since "origin/${{{{ github.base_ref }}}}"
      - name: Kiểm tra toàn bộ kho (nhánh main)
        if: github.event_name != 'pull_request'
        run: libsync validate --format github
      - name: Định dạng chuẩn
        run: libsync fmt --check
"""


def _workflow_pages(pip_spec: str | None) -> str:
    return f"""name: Mục lục trực tuyến (GitHub Pages)
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
{_install_step(pip_spec)}      - name: Tạo mục lục công khai
        run: libsync site build -o _site --audience public
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def _pre_commit_config(pip_spec: str | None) -> str:
    """The pre-commit hooks (this project's ``.pre-commit-hooks.yaml``) from the Git URL and ref
    the CI installs from; when that is not a Git server with a ref (unknown, a folder, a wheel),
    the same two hooks run the libsync installed on this computer (``repo: local``) rather than
    naming a tag that may not exist."""
    remote = pip_spec[len("libsync @ git+"):] if pip_spec and pip_spec.startswith("libsync @ git+") else ""
    url, _, ref = remote.rpartition("@")
    # only a plain URL and ref: nothing that YAML would read as a comment, a quote or a mapping
    if re.fullmatch(r"(https?|ssh|git)://[\w.\-+/@~%:]+", url) and re.fullmatch(r"[\w.\-]+", ref):
        return f"""repos:
  - repo: {url}
    rev: {ref}
    hooks:
      - id: libsync-validate
      - id: libsync-fmt
"""
    # as in .pre-commit-hooks.yaml (a test compares them)
    files = r"^(network\.ya?ml|records/.*|exchanges/.*|inventories/[^/]+/[^/]+|catalog/overrides)\.ya?ml$|^network\.ya?ml$"
    hooks = "".join(f"""      - id: libsync-{name}
        name: libsync {name}
        entry: libsync {name}
        language: system
        files: '{files}'
        pass_filenames: true
        require_serial: true
""" for name in ("validate", "fmt"))
    return f"""repos:
  - repo: local
    hooks:
{hooks}"""


def init_network(target: Path, network_id: str, name: str, libraries: list[tuple[str, str]],
                 lead: str | None = None, source: str | None = None, commit: bool = True,
                 details: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Create a new network repository in ``target`` (empty or missing); returns the files written.

    ``source``: where its CI installs libsync from (``pip_requirement``; default
    ``default_libsync_source()``; when that knows none, the install step stops the workflow with
    what to do); ``details``: see ``network_template``."""
    from libsync.gitops import init_repo

    target = Path(target)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise LibsyncError("init.not_a_folder", path=str(target))
    if target.exists() and any(target.iterdir()):
        raise LibsyncError("init.not_empty", path=str(target))
    _check_texts(name, libraries, details or {})
    source = source or default_libsync_source()
    pip_spec = pip_requirement(source) if source else None
    data = network_template(network_id, name, libraries, lead, details=details)
    network_text = yamlio.dump(data, schemas.load_schema("network"))
    # what init writes must be what validate accepts: checked in full before anything is written
    # (two libraries with one code, an id such as ../../etc or CON, a code validate refuses …)
    checked, errors = gate.check_raw("network.yaml", network_text.encode("utf-8"), "network", rules=True)
    if checked is None:
        from libsync.validation.report import problem_line

        raise LibsyncError("init.invalid", problems="\n".join("  " + problem_line(p) for p in errors[:5]))
    network = Network(data)
    files: dict[str, str | bytes] = {
        "network.yaml": network_text,
        CODEOWNERS_PATH: codeowners_text(network),
        ".github/workflows/validate.yml": _workflow_validate(pip_spec),
        ".github/workflows/pages.yml": _workflow_pages(pip_spec),
        ".pre-commit-config.yaml": _pre_commit_config(pip_spec),
        # the web catalogue's output folders (`site build -o _site`, `_site-xs` …) are built, not kept
        ".gitignore": "/_site*/\n.libsync-cache/\n__pycache__/\n",
        "README.md": t("init.readme", name=name, code=data["libraries"][0]["code"]),
        "records/.gitkeep": "",
        "exchanges/.gitkeep": "",
        "inventories/.gitkeep": "",
        "catalog/.gitkeep": "",
    }
    for path in sorted(schemas.schema_dir().glob("*.schema.json")):
        files[f"schema/{path.name}"] = path.read_bytes()
    created_root = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            write_atomic(target / rel, content)
        if commit:
            init_repo(target, t("init.commit_message", name=name))
    except BaseException:
        if created_root:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for child in list(target.iterdir()):
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
        raise
    return sorted(files)


def write_codeowners(root: Path, network: Network, check: bool = False) -> bool:
    """Regenerate CODEOWNERS; returns whether it changed (with ``check``, nothing is written)."""
    path = Path(root) / CODEOWNERS_PATH
    text = codeowners_text(network)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old == text:
        return False
    if not check:
        write_atomic(path, text)
    return True
