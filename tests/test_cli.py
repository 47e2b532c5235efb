"""The command-line frame: version, usage errors, no tracebacks, help in both languages."""

from __future__ import annotations

import subprocess
import sys


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "libsync", *args], capture_output=True, text=True, **kw)


def test_version_alone():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("libsync ")


def test_unknown_command_is_a_usage_error():
    result = run("khong-co-lenh-nay")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "Lỗi nội bộ" not in result.stderr


def test_every_command_has_help_in_both_languages():
    from libsync.cli import create_app
    import typer.main

    app = typer.main.get_command(create_app())
    names = sorted(app.list_commands(None))   # commands are loaded when asked for
    assert {"validate", "fmt", "init", "codeowners", "import", "export", "merge", "search", "schedule",
            "exchange", "inventory", "site"} <= set(names)
    for name in names:
        vi = run(name, "--help")
        en = run("--lang", "en", name, "--help")
        assert vi.returncode == 0 and en.returncode == 0, name
        assert vi.stdout != en.stdout, name
        flat_vi, flat_en = (" ".join(out.replace("│", " ").split()) for out in (vi.stdout, en.stdout))  # wrapped
        assert "Xem hướng dẫn này rồi thoát" in flat_vi and "Show this help and exit" in flat_en


def test_every_option_has_help_text():
    from libsync.cli import create_app
    import typer.main

    def walk(command, path):
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{path} {param.opts}"
        for name, sub in getattr(command, "commands", {}).items():
            assert sub.help, f"{path} {name}"
            walk(sub, f"{path} {name}")

    root = typer.main.get_command(create_app())
    for name in root.list_commands(None):     # load every command's module first
        assert root.get_command(None, name) is not None, name
    assert len(root.commands) >= 13
    walk(root, "libsync")


HEAVY = ("pymarc", "openpyxl", "docx", "rapidfuzz", "git", "jsonschema", "libsync.interchange")


def _imported_by(*args: str) -> set[str]:
    code = ("import sys\nsys.argv = ['libsync', *sys.argv[1:]]\nfrom libsync.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    return set(done.stderr.strip().splitlines()[-1].split())


def test_commands_load_only_what_they_use():
    """`--version` loads no command at all; `validate` pays nothing for MARC, spreadsheets,
    documents, fuzzy matching or Git (issue #13, start-up)."""
    loaded = _imported_by("--version")
    assert not [m for m in loaded if m.startswith(HEAVY) or m.startswith("libsync.cli.")], loaded
    loaded = _imported_by("validate", "--help")
    assert "libsync.cli.validate" in loaded
    assert not [m for m in loaded if m.startswith(("pymarc", "openpyxl", "docx", "rapidfuzz", "libsync.interchange"))]
