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
    names = sorted(app.commands)
    assert {"validate", "fmt", "init", "codeowners", "import", "export", "merge", "search", "schedule",
            "exchange", "inventory", "site"} <= set(names)
    for name in names:
        vi = run(name, "--help")
        en = run("--lang", "en", name, "--help")
        assert vi.returncode == 0 and en.returncode == 0, name
        assert vi.stdout != en.stdout, name
        assert "Xem hướng dẫn này rồi thoát" in vi.stdout and "Show this help and exit" in en.stdout


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

    walk(typer.main.get_command(create_app()), "libsync")
