"""Choosing the language, and adding one: ``--lang`` anywhere on the line, a third language made
as docs/translating.md says (a folder, no code change), and the catalogue checks that tell a
translator what would go wrong (a lone brace, a placeholder misspelt, a fuzzy entry).

The catalogue is changed only in a copy of the package in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from libsync import i18n

PROJECT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None, package: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python3 -m libsync ARGS`` as a person runs it (``package``: a copy of the project to run)."""
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("LIBSYNC_LANG", None)
    if package is not None:
        env["PYTHONPATH"] = str(package)
    return subprocess.run([sys.executable, "-m", "libsync", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


@pytest.mark.parametrize("args", [
    ("search", "--lang", "en"),
    ("search", "--lang=en"),
    ("--lang", "EN", "search"),
    ("--lang", "vi", "search", "--lang", "en"),
])
def test_lang_is_taken_wherever_it_is_typed(args, example_repo):
    result = run(*args, cwd=example_repo)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Usage: libsync search [OPTIONS] {QUERY}",
        "Error: Missing argument QUERY.",
        "For help: libsync search -h",
    ]


def test_lang_after_the_command_changes_the_output_not_the_search(example_repo):
    english = run("search", "toán", "--lang", "en", "--format", "text", cwd=example_repo)
    vietnamese = run("search", "toán", cwd=example_repo)
    assert english.returncode == vietnamese.returncode == 0
    assert english.stdout.splitlines()[0].endswith("(audience: the whole network).")
    assert vietnamese.stdout.splitlines()[0].endswith("(đối tượng xem: cả mạng liên thông).")
    # the same records found, in the same order
    assert english.stdout.count("\n") == vietnamese.stdout.count("\n")


def test_lang_after_the_separator_is_an_argument(example_repo):
    result = run("search", "--", "--lang", "en", cwd=example_repo)
    assert result.returncode == 2
    assert "Lỗi: Thừa đối số: en." in result.stderr


def test_lang_without_a_value_says_it_needs_one(example_repo):
    result = run("search", "toán", "--lang", cwd=example_repo)
    assert result.returncode == 2
    assert result.stderr.strip() == "Lỗi: Tùy chọn --lang cần một giá trị đi kèm."


def test_an_unknown_language_is_refused_naming_the_languages_there_are(example_repo):
    result = run("search", "toán", "--lang", "xx", cwd=example_repo)
    assert result.returncode == 2
    assert result.stderr.strip() == f"libsync: Ngôn ngữ không hỗ trợ: xx (dùng một trong: {', '.join(i18n.LANGUAGES)})."


def _package_copy(dest: Path) -> Path:
    """The parts of the project libsync runs from (the package and the schemas), without caches."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PROJECT / "libsync", dest / "libsync", ignore=ignore)
    shutil.copytree(PROJECT / "schema", dest / "schema", ignore=ignore)
    return dest


def _compile(package: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package)}
    return subprocess.run([sys.executable, "-m", "libsync.i18n.compile", *args], capture_output=True, text=True,
                          env=env, cwd=package, timeout=120)


def test_a_third_language_is_a_folder_made_as_the_translators_page_says(tmp_path, example_repo):
    from babel.messages.pofile import read_po, write_po

    package = _package_copy(tmp_path / "project")
    # docs/translating.md, "A third language", step by step
    init = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "init", "-i", "libsync/locale/libsync.pot",
                           "-d", "libsync/locale", "-D", "libsync", "-l", "km"],
                          capture_output=True, text=True, cwd=package, timeout=120)
    assert init.returncode == 0, init.stderr
    po_file = package / "libsync/locale/km/LC_MESSAGES/libsync.po"
    with (package / "libsync/locale/en/LC_MESSAGES/libsync.po").open("rb") as fh:
        english = read_po(fh)
    with po_file.open("rb") as fh:
        khmer = read_po(fh, locale="km")
    for message in khmer:   # the translator's work: here the English text marked as Khmer
        if message.id:
            message.string = "[km] " + english.get(message.id).string
    with po_file.open("wb") as fh:
        write_po(fh, khmer)
    built = _compile(package)
    assert built.returncode == 0, built.stderr
    assert (po_file.with_suffix(".mo")).is_file()
    assert _compile(package, "--check").returncode == 0

    validate = run("--lang", "km", "validate", cwd=example_repo, package=package)
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.strip().startswith("[km] ")
    usage = run("search", "--lang", "km", cwd=example_repo, package=package)
    assert usage.returncode == 2
    assert "[km] Missing argument" in usage.stderr
    helped = run("--help", cwd=example_repo, package=package)
    assert "vi|en|km" in helped.stdout and "vi, en, km" in helped.stdout
    assert run("--lang", "xx", "validate", cwd=example_repo, package=package).stderr.strip().endswith(
        "(dùng một trong: vi, en, km).")


@pytest.mark.parametrize(("key", "bad", "said"), [
    ("cli.click.missing_argument", "Thiếu đối số {name} {.", "expected '}' before end of string"),
    # a message whose languages may use their own placeholders is still checked for braces
    ("schema.keyword", "'{field}' không thỏa điều kiện } của lược đồ.", "Single '}' encountered"),
    ("cli.click.missing_argument", "Thiếu đối số {nmae}.", "placeholders ['nmae'], the English message has ['name']"),
    ("cli.click.missing_argument", "Thiếu đối số.", "placeholders [], the English message has ['name']"),
])
def test_the_compiler_names_a_translation_that_would_go_wrong_when_shown(tmp_path, key, bad, said):
    package = _package_copy(tmp_path / "project")
    po_file = package / "libsync/locale/vi/LC_MESSAGES/libsync.po"
    text = po_file.read_text(encoding="utf-8")
    start = text.index(f'msgid "{key}"\nmsgstr "')
    end = text.index("\n", text.index("\nmsgstr ", start) + 1)
    po_file.write_text(text[:start] + f'msgid "{key}"\nmsgstr "{bad}"' + text[end:], encoding="utf-8")
    result = _compile(package)
    assert result.returncode == 1
    assert f"libsync.po:{text[:start].count(chr(10)) + 1}: {key}: " in result.stderr
    assert said in result.stderr


def test_the_compiler_names_a_fuzzy_entry(tmp_path):
    package = _package_copy(tmp_path / "project")
    po_file = package / "libsync/locale/vi/LC_MESSAGES/libsync.po"
    text = po_file.read_text(encoding="utf-8")
    po_file.write_text(text.replace('\nmsgid "cli.click.missing_argument"',
                                    '\n#, fuzzy\nmsgid "cli.click.missing_argument"', 1), encoding="utf-8")
    result = _compile(package, "--check")
    assert result.returncode == 1
    assert "cli.click.missing_argument: marked fuzzy" in result.stderr


def test_the_catalogues_here_have_none_of_those_problems():
    from libsync.i18n import compile as po

    for lang in po.languages():
        assert po.problems(lang) == []


def _help_pages(cli, lang: str) -> dict[tuple[str, ...], str]:
    from typer.main import get_command

    from libsync.cli import COMMANDS, create_app
    from libsync.i18n import set_language

    set_language(lang)
    group = get_command(create_app())
    pages = {}
    for name in COMMANDS:
        command = group.get_command(None, name)  # type: ignore[arg-type]
        for args in [(name,), *((name, sub) for sub in getattr(command, "commands", {}) or {})]:
            result = cli(*args, "--help")
            assert result.exit_code == 0, args
            pages[args] = result.stdout
    return pages


ENGLISH_PLACEHOLDERS = {"FILE", "TEXT", "ID", "LIB", "TYPE", "DIR", "CODE", "TERM", "START", "SECONDS", "SCANFILE",
                        "QUERY", "FIELD", "DATE", "VALUE", "PATH", "CLUSTER", "RULE", "REF", "BEFORE", "AFTER",
                        "SNAPSHOT", "SOURCE", "PORT", "HOST", "ADDRESS", "CATEGORIES", "BARCODE", "SPEC", "INTEGER"}


def test_every_placeholder_in_the_vietnamese_help_is_vietnamese(cli, monkeypatch):
    """In usage lines, argument names and the value column of options: no FILE, LIB, BARCODE,
    CODE (also inside ``public|network|CODE``), and no ``[[PATH]...]...``."""
    import re

    monkeypatch.setenv("COLUMNS", "220")
    pages = _help_pages(cli, "vi")
    assert len(pages) > 40
    found = []
    for args, page in pages.items():
        lines = page.splitlines()
        shown = [line for line in lines if "Cách dùng:" in line]
        for line in lines:   # an option's value column, an argument's name
            cell = re.match(r"│\s*\*?\s+(?:--[\w-]+(?:\s+-\w)?\s+)?(\S+)\s{2,}", line)
            if cell:
                shown.append(cell.group(1))
        for text in shown:
            words = set(re.findall(r"[A-Z]{2,}", text)) & ENGLISH_PLACEHOLDERS
            if words or "[[" in text:
                found.append((" ".join(args), text.strip(), sorted(words)))
    assert not found, found
    assert "[SỐ_ĐKCB]..." in pages[("copy", "set")] and "[ĐƯỜNG_DẪN]..." in pages[("validate",)]
    assert "public|network|MÃ" in pages[("export",)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_register_exported_in_english_reads_back_in_vietnamese_as_the_same_codes(example_repo, tmp_path, cli, fmt):
    """Every item status and record type, written as its English label, imported by a Vietnamese
    libsync: the same records. ("other" is left out: an import gives such a record the type its
    title tells, by design, whatever the language.)"""
    import itertools
    import json

    import yaml

    from libsync import yamlio
    from libsync.model import enums
    from libsync.repository import Repository

    shutil.rmtree(example_repo / "exchanges")   # statuses here need not agree with the exchanges
    statuses = itertools.cycle(enums.ITEM_STATUSES)
    types = itertools.cycle([code for code in enums.RECORD_TYPES if code != "other"])
    for path in sorted((example_repo / "records/XS").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        record["type"] = next(types)
        record.setdefault("authors", ["Nguyễn Văn An"])
        for item in record.get("items") or []:
            item["status"] = next(statuses)
            if item["status"] in ("on-loan", "at-partner", "in-transit"):
                item["holder"] = "HD"
            else:
                item.pop("holder", None)
        path.write_text(yamlio.dump(record), encoding="utf-8")
    original = {r["id"]: r for r in Repository(example_repo).records("XS")}
    assert {i["status"] for r in original.values() for i in r.get("items") or []} == set(enums.ITEM_STATUSES)
    assert {r["type"] for r in original.values()} == set(enums.RECORD_TYPES) - {"other"}

    out = tmp_path / f"xs.{fmt}"
    result = cli("--repo", example_repo, "--lang", "en", "export", fmt, "--library", "XS", "-o", out)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        cells = {cell for line in out.read_text(encoding="utf-8-sig").splitlines() for cell in line.split(",")}
    else:
        import openpyxl

        cells = {str(c.value) for row in openpyxl.load_workbook(out).worksheets[0].iter_rows() for c in row}
    assert {"on loan", "at a partner", "in transit", "Teacher's book", "Educational picture"} <= cells
    assert not cells & {"on-loan", "at-partner", "teacher-book", "picture"}
    target = tmp_path / "other"
    shutil.copytree(example_repo, target)
    shutil.rmtree(target / "records" / "XS")
    i18n.set_language("vi")
    result = cli("--repo", target, "import", "table", out, "--library", "XS", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["created"] == len(original)
    unmapped = {"provenance", "created", "updated", "share", "access"}
    again = {r["id"]: r for r in Repository(target).records("XS")}
    assert again.keys() == original.keys()
    for key, record in again.items():
        assert {k: v for k, v in record.items() if k not in unmapped} == \
            {k: v for k, v in original[key].items() if k not in unmapped}, key


def test_messages_name_statuses_and_share_levels_by_their_label(example_repo, cli):
    """Codes stay in the file; what she reads says «mất», «trong mạng liên thông»."""
    lost = cli("--repo", example_repo, "copy", "set", "XS-TN-00001", "--status", "lost")
    assert lost.exit_code == 2
    assert "Trạng thái «mất» cần căn cứ" in lost.output
    kept = cli("--repo", example_repo, "record", "add", "--library", "XS", "--type", "story", "--title", "Dế Mèn", "-n")
    assert kept.exit_code == 0, kept.output
    assert "giữ ở mức nội bộ thư viện (chính sách là «trong mạng liên thông»)" in kept.output
    refused = cli("--repo", example_repo, "record", "add", "--library", "XS", "--type", "story", "--title", "Dế Mèn",
                  "--share", "network")
    assert refused.exit_code == 1
    assert "ở mức chia sẻ «trong mạng liên thông» cần có tác giả" in refused.output
    # (the table of the new record's fields below the warning shows what the file holds: codes)
    for text in (lost.output, kept.output.splitlines()[0], refused.output.replace("share=internal", "")):
        assert not {"lost", "internal", "network"} & set(text.replace("«", " ").replace("»", " ").split()), text
    english = cli("--repo", example_repo, "--lang", "en", "record", "add", "--library", "XS", "--type", "story",
                  "--title", "Dế Mèn", "--share", "network")
    assert "shared as \"within the network\" needs" in english.output


def test_an_impossible_exchange_names_the_copy_status_by_its_label(example_repo, cli):
    path = example_repo / "records/XS/xs-bt-ngu-van-6-kntt-t1.yaml"
    text = path.read_text(encoding="utf-8")
    before = "- barcode: XS-TK-00007\n  status: in-transit\n  holder: ND\n"
    assert before in text
    path.write_text(text.replace(before, "- barcode: XS-TK-00007\n  status: available\n"), encoding="utf-8")
    result = cli("--repo", example_repo, "exchange", "receive", "xs-nd-2024-10-tk-ngu-van-6-7")
    assert result.exit_code != 0
    assert ("bản XS-TK-00007 đang có trạng thái «có sẵn» tại XS, không phải «đang ở thư viện bạn» tại ND"
            in result.output)
    english = cli("--repo", example_repo, "--lang", "en", "exchange", "receive", "xs-nd-2024-10-tk-ngu-van-6-7")
    assert "copy XS-TK-00007 is available at XS, not at a partner at ND" in english.output


def test_a_command_in_a_pipe_loads_no_progress_bars_and_no_help_renderer(example_repo):
    """Start-up: rich's progress bars (drawn only on a terminal) and Typer's help renderer (only
    for a help page) are not imported by a validate or a usage error whose output is piped."""
    code = ("import sys\nsys.argv = ['libsync', *sys.argv[1:]]\nfrom libsync.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    for args in (("validate",), ("search",)):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=example_repo,
                              timeout=120)
        loaded = set(done.stderr.strip().splitlines()[-1].split())
        assert "libsync.i18n" in loaded, args
        assert not loaded & {"rich.progress", "typer.rich_utils"}, args


def test_the_systems_reasons_are_said_in_the_users_language(example_repo, cli, tmp_path):
    """'Is a directory', 'No such file or directory' and the like are the system's English."""
    from libsync.errors import _OS_REASONS

    for lang in i18n.LANGUAGES:
        assert all(f"os.{name}" in i18n.messages(lang) for name in _OS_REASONS.values()), lang
    folder = tmp_path / "so-dang-ky.csv"
    folder.mkdir()
    result = cli("--repo", example_repo, "import", "table", folder, "--library", "XS")
    assert result.exit_code == 2
    assert result.output.strip() == f"libsync: Không đọc được tệp {folder}: đây là một thư mục, không phải tệp"
    result = cli("--repo", example_repo, "--lang", "en", "import", "table", folder, "--library", "XS")
    assert result.output.strip().endswith(": it is a folder, not a file")


def test_a_port_in_use_is_said_without_the_systems_english_and_a_free_one_suggested(example_repo):
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = run("oai", "serve", "--port", str(port), cwd=example_repo)
    assert result.returncode == 2
    said = result.stderr.strip().splitlines()[-1]
    assert said.startswith(f"libsync: Cổng {port} trên 127.0.0.1 đang được chương trình khác dùng. Hãy chọn cổng khác, "
                           "ví dụ --port ")
    assert "Address already in use" not in result.stderr
    suggested = int(said.split("--port ")[1].split(",")[0])
    assert suggested > port


@pytest.mark.parametrize(("text", "words"), [
    ("title: ]\n", "không được bắt đầu bằng ký tự này"),
    ("title: ,a\n", "không được bắt đầu bằng ký tự này"),
    ("title: &\n", "dấu & hoặc *"),
    ("title: *\n", "dấu & hoặc *"),
    ("%\ntitle: a\n", "dòng bắt đầu bằng %"),
    ("title: a\n%x\n", "dòng bắt đầu bằng %"),
    ("title: a\n...\nb: 1\n", "chữ sau dòng '...'"),
    ("%YAML 1.1\n%YAML 1.1\n---\ntitle: a\n", "dòng bắt đầu bằng %"),
    ("[a, b]: 1\n", "tên trường không được là một danh sách"),
    ("title: >x\n", "còn chữ thừa sau giá trị"),
    ('title: "\\x4"\n', "dấu \\ không hợp lệ"),
    ("title: !<x\n", "ký tự ! ở đầu giá trị"),
    ("title: 'Dế Mèn\n", "dấu ngoặc kép mở ở đây chưa được đóng"),   # ' and " alike: quotes
])
def test_rarer_yaml_faults_are_explained_in_vietnamese_too(text, words):
    """libyaml's words for what a mistyped character does (found by mutating a record file)."""
    from libsync import yamlio

    i18n.set_language("vi")
    problems = yamlio.load_text(text, "records/XS/x.yaml").problems
    assert [p.rule for p in problems] == ["yaml-syntax"]
    said = str(problems[0].message)
    assert said.startswith("Lỗi cú pháp YAML: ") and words in said, said
    for english in ("found", "expected", "while", "scanning", "directive", "document", "character", "number"):
        assert english not in said, said
    i18n.set_language("en")
    assert str(problems[0].message).startswith("YAML syntax error: ")   # the same problem, shown in English


def test_a_status_refused_lists_the_codes_to_type_with_their_labels(example_repo, cli):
    result = cli("--repo", example_repo, "exchange", "list", "--status", "xyz")
    assert result.exit_code == 2
    assert "(có: proposed (đề xuất), approved (đã duyệt), dispatched (đã giao)," in result.output
    result = cli("--repo", example_repo, "copy", "set", "XS-TN-00001", "--status", "on-loan")
    assert "(chọn: available (có sẵn), lost (mất), damaged (hư hỏng), withdrawn (thanh lý))" in result.output
    result = cli("--repo", example_repo, "--lang", "en", "copy", "set", "XS-TN-00001", "--status", "xx")
    assert "(choose: available, lost, damaged, withdrawn)" in result.output   # the label would say the same


def test_an_unknown_language_in_the_environment_is_said_once_not_silently_ignored(example_repo):
    env = {**os.environ, "LIBSYNC_LANG": "km"}
    result = subprocess.run([sys.executable, "-m", "libsync", "search"], capture_output=True, text=True, env=env,
                            cwd=example_repo, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"Lưu ý: LIBSYNC_LANG=km không phải ngôn ngữ có sẵn ({', '.join(i18n.LANGUAGES)}); dùng tiếng Việt."
    assert lines[1:] == ["Cách dùng: libsync search [TÙY_CHỌN] {TỪ_KHÓA}", "Lỗi: Thiếu đối số TỪ_KHÓA.",
                         "Xem hướng dẫn: libsync search -h"]
    env["LIBSYNC_LANG"] = "EN"   # any case
    assert subprocess.run([sys.executable, "-m", "libsync", "search"], capture_output=True, text=True, env=env,
                          cwd=example_repo, timeout=120).stderr.startswith("Usage: libsync search")


def test_record_show_explains_a_code_only_where_its_label_says_something_else(example_repo, cli):
    vi = cli("--repo", example_repo, "record", "show", "XS/xs-bt-ngu-van-6-kntt-t1")
    assert "reference (Sách tham khảo)" in vi.output and "network (trong mạng liên thông)" in vi.output
    en = cli("--repo", example_repo, "--lang", "en", "record", "show", "XS/xs-bt-ngu-van-6-kntt-t1")
    assert "reference (Reference)" not in en.output
    assert [line.split()[-1] for line in en.output.splitlines() if line.startswith("Type ")] == ["reference"]
    assert "network (within the network)" in en.output


def test_a_date_written_day_first_in_a_file_is_not_called_a_day_that_does_not_exist(example_repo):
    """'10/09/2022' is how she writes a date: it exists; the file wants 2022-09-10."""
    path = example_repo / "records/XS/xs-bt-ngu-van-6-kntt-t1.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\ncreated: '2022-09-10'\n" in text
    path.write_text(text.replace("\ncreated: '2022-09-10'\n", "\ncreated: 10/09/2022\n"), encoding="utf-8")
    result = run("validate", cwd=example_repo)
    assert result.returncode == 1
    assert ("lỗi [date-invalid] Ngày '10/09/2022' phải viết trong tệp theo dạng năm-tháng-ngày: '2022-09-10'."
            in result.stdout)
    assert "không có thật" not in result.stdout
    english = run("--lang", "en", "validate", cwd=example_repo)   # from the cache, in English
    assert "must be written in the file as year-month-day: '2022-09-10'." in english.stdout
    path.write_text(text.replace("\ncreated: '2022-09-10'\n", "\ncreated: 31/02/2022\n"), encoding="utf-8")
    assert "Ngày '31/02/2022' không có thật." in run("validate", cwd=example_repo).stdout


def test_repo_is_taken_after_the_command_too(example_repo, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for args in (("validate", "--repo", str(example_repo)), ("validate", f"--repo={example_repo}", "--lang", "en")):
        result = run(*args, cwd=elsewhere)
        assert result.returncode == 0, result.stderr
        assert "213" in result.stdout
    result = run("validate", "--repo", cwd=elsewhere)
    assert result.returncode == 2
    assert result.stderr.strip() == "Lỗi: Tùy chọn --repo cần một giá trị đi kèm."
