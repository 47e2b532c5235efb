"""Click's and Typer's own words — usage errors, help headings, types — speak the user's language."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from libsync.cli import COMMANDS

ENGLISH_IN_VI = ("Usage:", "Missing argument", "Missing option", "Try '", "No such option", "No such command",
                 "[default:", "[required]", "<bool>", "<str>", "<int>", "<list", "Options", "Arguments", "Commands",
                 "Error", "Aborted", "Invalid value", "Did you mean", "int range", "<=x", "x>=", "x<=")


def run(*args: str, lang: str | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("LIBSYNC_LANG", None)
    if lang:
        env["LIBSYNC_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "libsync", *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120)


def _no_english(text: str) -> None:
    for word in ENGLISH_IN_VI:
        assert word not in text, (word, text)


def test_missing_argument_in_vietnamese_and_english():
    vi = run("search")
    assert vi.returncode == 2 and vi.stdout == ""
    assert vi.stderr.splitlines() == [
        "Cách dùng: libsync search [TÙY_CHỌN] {TỪ_KHÓA}",
        "Lỗi: Thiếu đối số TỪ_KHÓA.",
        "Xem hướng dẫn: libsync search -h",
    ]
    en = run("--lang", "en", "search")
    assert en.returncode == 2
    assert en.stderr.splitlines() == [
        "Usage: libsync search [OPTIONS] {QUERY}",
        "Error: Missing argument QUERY.",
        "For help: libsync search -h",
    ]


def test_missing_required_option_names_it():
    result = run("exchange", "propose", "--from", "XS")
    assert result.returncode == 2
    assert "Lỗi: Thiếu tùy chọn --term (bắt buộc)." in result.stderr
    _no_english(result.stderr)


@pytest.mark.parametrize(("args", "expected"), [
    (("validate", "--bogus"), "Không có tùy chọn --bogus."),
    (("validate", "--job", "2"), "Có phải ý bạn là: --jobs?"),
    (("serch", "toán"), "Không có lệnh 'serch'. Có phải ý bạn là: 'search'"),
    (("validate", "--jobs", "hai"), "Giá trị không hợp lệ cho --jobs: cần là số nguyên."),
    (("validate", "--jobs"), "Tùy chọn --jobs cần một giá trị đi kèm."),
    (("search", "toán", "học", "lớp"), "Thừa đối số: học lớp."),
])
def test_usage_errors_in_vietnamese(args, expected):
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    _no_english(result.stderr)


def test_an_english_message_click_builds_that_is_not_recognised_still_gets_a_vietnamese_lead_in():
    from libsync.cli import localise
    from libsync.i18n import set_language

    set_language("vi")
    assert localise._said("Something new went wrong.") == "Sai cách dùng lệnh (Something new went wrong.)"


def _commands() -> list[tuple[str, ...]]:
    """Every command and subcommand, as argument lists."""
    from typer.main import get_command

    from libsync.cli import create_app

    group = get_command(create_app())
    found: list[tuple[str, ...]] = []
    for name in COMMANDS:
        command = group.get_command(None, name)  # type: ignore[arg-type]
        found.append((name,))
        for sub in getattr(command, "commands", {}) or {}:
            found.append((name, sub))
    return found


def test_every_help_page_is_vietnamese_without_python_types(cli):
    from libsync.i18n import set_language

    set_language("vi")
    commands = _commands()
    assert len(commands) > 30
    for args in [(), *commands]:
        result = cli(*args, "--help")
        assert result.exit_code == 0, args
        _no_english(result.stdout)
        assert "Cách dùng: libsync" in result.stdout, args


def test_help_in_english_keeps_english_headings():
    result = run("--lang", "en", "validate", "--help")
    assert result.returncode == 0
    assert "Usage: libsync validate [OPTIONS]" in result.stdout
    assert "Options" in result.stdout and "[default: text]" in result.stdout
    assert "<bool>" not in result.stdout and "<str>" not in result.stdout


def test_help_marks_defaults_and_required_in_vietnamese():
    result = run("exchange", "propose", "--help")
    assert "[bắt buộc]" in result.stdout and "[mặc định: rotation]" in result.stdout
    assert "Tùy chọn" in result.stdout


# --- YAML syntax errors: PyYAML's English reasons said in the user's language ----------------------

BROKEN_YAML = [
    ("title: Toán 6\nauthors\nyear: 2021\n", 2, "thiếu dấu ':'"),   # the line without ':' (PyYAML marks the next)
    ("title: Toán 6: tập một\n", 1, "không được viết 'tên: giá trị' ở đây"),
    ("title: Toán 6\n  year: 2021\n", 2, "thụt lề sai"),
    ('title: "Toán 6\nyear: 2021\n', 1, "dấu ngoặc kép mở ở đây chưa được đóng"),
    ("title:\n\tToán 6\n", 2, "Tab"),
    ("title: Toán\nsubjects: [Toán, Tin\nyear: 2021\n", 3, "thiếu dấu ',' hoặc dấu ']'"),
    ('title: "C:\\qToán"\n', 1, "dấu \\ không hợp lệ"),
    ("title: Toán\n---\ntitle: Văn\n", 2, "nhiều hơn một tài liệu"),
    ("items:\n  - a\n - b\n", 3, "thụt lề"),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN_YAML)
def test_yaml_syntax_errors_are_explained_in_vietnamese_with_their_line(text, line, words):
    from libsync.i18n import set_language
    from libsync.yamlio import load_text

    set_language("vi")
    problems = load_text(text, "records/XS/toan-6.yaml").problems
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == line and problem.file == "records/XS/toan-6.yaml"
    assert words in problem.message
    for english in ("found", "expected", "could not", "allowed", "while ", "scanning", "stream"):
        assert english not in problem.message, problem.message
    set_language("en")
    assert "found" not in problem.message and problem.message.startswith("YAML syntax error:")
    set_language("vi")


def test_validate_names_file_line_and_reason_in_vietnamese_even_from_its_cache(example_repo):
    target = example_repo / "records" / "XS" / "broken.yaml"
    target.write_text("id: broken\ntitle: Toán 6: tập một\n", encoding="utf-8")
    for attempt in ("cold", "cached"):
        vi = run("--repo", str(example_repo), "validate")
        assert vi.returncode == 1, attempt
        assert "records/XS/broken.yaml:2" in vi.stdout + vi.stderr
        assert "không được viết 'tên: giá trị' ở đây" in vi.stdout + vi.stderr
        assert "mapping values" not in vi.stdout + vi.stderr
    en = run("--repo", str(example_repo), "--lang", "en", "validate")   # the cached problem, in English
    assert "a 'name: value' is not allowed here" in en.stdout + en.stderr


# --- yes/no questions ---------------------------------------------------------------------------

def test_questions_ask_in_vietnamese_and_take_vietnamese_answers(example_repo, cli):
    from test_rotation_support import snapshot

    args = ("--repo", example_repo, "share", "--library", "XS", "--type", "textbook", "--access", "read")
    before = snapshot(example_repo)
    result = cli(*args, input="ừ\nkhông\n")   # not an answer: asked again; then "không"
    assert result.exit_code == 1 and "[c/K]" in result.output and "[y/N]" not in result.output
    assert "Xin trả lời c (có) hoặc k (không)." in result.output
    assert snapshot(example_repo) == before
    result = cli(*args, input="\n")   # Enter alone takes the default, no
    assert result.exit_code == 1 and snapshot(example_repo) == before
    result = cli(*args, input="Có\n")
    assert result.exit_code == 0 and "Đã ghi" in result.output


def test_questions_in_english_take_english_answers(example_repo, cli):
    result = cli("--repo", example_repo, "--lang", "en", "share", "--library", "XS", "--type", "textbook",
                 "--access", "read", input="yes\n")
    assert result.exit_code == 0 and "[y/N]" in result.output


def test_validate_says_statuses_by_their_label_in_either_language_from_one_cache(example_repo):
    path = example_repo / "records" / "XS" / "xs-truyen-que-noi.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  status: at-partner\n  holder: HD\n", "  status: at-partner\n", 1), encoding="utf-8")
    vi = run("--repo", str(example_repo), "validate")
    assert vi.returncode == 1
    assert "ở trạng thái đang ở thư viện bạn" in vi.stdout, vi.stdout
    en = run("--repo", str(example_repo), "--lang", "en", "validate")   # the same problem, from the cache
    assert en.returncode == 1 and "[holder-status] Copy 'XS-TN-00023' has status at a partner but holder XS." in en.stdout


@pytest.mark.parametrize(("command", "codes"), [
    (("record", "add"), ("textbook", "teacher-book", "digital", "internal", "public", "catalog")),
    (("batch", "add"), ("textbook", "picture", "digital")),
    (("batch", "set"), ("textbook", "digital")),
    (("copy", "set"), ("available", "lost", "damaged", "withdrawn")),
])
def test_help_lists_every_code_to_type_whole_with_its_label_at_80_columns(command, codes):
    """'textbook|teacher-book|workbook|re…': the list was one long word, which the help cut at 80
    columns; each code is now followed by its label, comma-separated, so the list wraps."""
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("LIBSYNC_LANG", None)
    out = subprocess.run([sys.executable, "-m", "libsync", *command, "--help"], capture_output=True, text=True,
                         env=env, timeout=120).stdout
    assert not re.search(r"\S…", out), out   # a word cut short ('re…'); 'từ …' is the text itself
    words = set(out.replace(",", " ").split())
    assert set(codes) <= words, set(codes) - words
    assert ("textbook (Sách giáo khoa)" in " ".join(out.replace("│", " ").split())) == ("textbook" in codes)
