"""`libsync init` given awkward or hostile text (review of #15 items 7 and 10): a --libsync-source
with YAML's comment or mapping marks still gives a workflow whose install line is exactly what was
asked; one that would change the shell line or pass pip an option is refused; names and header
lines with line breaks are refused, and a CODE= of no school is not written to every school."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from libsync.errors import LibsyncError
from libsync.scaffold import pip_requirement

from test_init_publish import _install_steps


@pytest.mark.parametrize("source, requirement", [
    ("https://example.org/so-gd/libsync@v1 #2", "libsync @ git+https://example.org/so-gd/libsync@v1 #2"),  # YAML comment
    ("libsync @ https://example.org/a: b", "libsync @ https://example.org/a: b"),                        # YAML mapping
    ("https://example.org/x/libsync@v1'", "libsync @ git+https://example.org/x/libsync@v1'"),
])
def test_yaml_special_text_in_the_source_reaches_the_install_line_whole(tmp_path, cli, source, requirement):
    target = tmp_path / "net"
    r = cli("init", target, "--library", "XS=Trường A", "--no-ask", "--libsync-source", source)
    assert r.exit_code == 0, r.output
    # the workflow still parses, and its install line is exactly the requirement, quoted for the shell
    assert set(_install_steps(target).values()) == {f'python -m pip install "{requirement}"'}
    files = [str(p) for p in (target / ".github" / "workflows").glob("*.yml")]
    actionlint = shutil.which("actionlint")
    assert actionlint
    run = subprocess.run([actionlint, "-no-color", *files], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("source", [
    "C:\\libsync\\",                                  # the last \ escapes the closing quote
    "--index-url=https://evil.example/simple",        # an option of pip, not what to install
    "-r/etc/passwd",
    "https://example.org/x@v1\tx",                    # a control character
    "https://example.org/x@v1\rcurl evil",
])
def test_a_source_that_would_change_the_shell_line_or_pip_is_refused(tmp_path, cli, source):
    with pytest.raises(LibsyncError) as caught:
        pip_requirement(source)
    assert caught.value.key == "init.bad_source"
    r = cli("init", tmp_path / "net", "--library", "XS=Trường A", "--no-ask", "--libsync-source", source)
    assert r.exit_code == 2 and "Nguồn cài libsync không dùng được" in r.output
    assert not (tmp_path / "net").exists()


@pytest.mark.parametrize("option, value", [
    ("--name", "Mạng thư viện\nĐông Triều"),
    ("--library", "HD=Trường THCS\nHưng Đạo"),
    ("--authority", "PHÒNG GD&ĐT\tĐÔNG TRIỀU"),
    ("--place", "XS=Xuân\r\nSơn"),
    ("--principal", "XS=Nguyễn Văn\x00Thành"),
])
def test_a_line_break_in_a_name_or_header_line_is_refused(tmp_path, cli, option, value):
    r = cli("init", tmp_path / "net", "--library", "XS=Trường A", option, value, "--no-ask")
    assert r.exit_code == 2, r.output
    assert "phải nằm trên một dòng" in r.output and option in r.output
    assert not (tmp_path / "net").exists()


def test_yaml_special_names_are_written_as_text(tmp_path, cli):
    target = tmp_path / "net"
    r = cli("init", target, "--library", 'XS=Trường "A": #1', "--library", "HD=- &a *b", "--place", "XS=null",
            "--principal", "XS=O'Neil \"Thành\"", "--principal", "HD={x}", "--no-ask")
    assert r.exit_code == 0, r.output
    libs = {lib["code"]: lib for lib in yaml.safe_load((target / "network.yaml").read_text(encoding="utf-8"))["libraries"]}
    assert (libs["XS"]["name"], libs["HD"]["name"]) == ('Trường "A": #1', "- &a *b")
    assert libs["XS"]["place"] == "null" and libs["XS"]["principal"]["name"] == "O'Neil \"Thành\""
    assert libs["HD"]["principal"]["name"] == "{x}"
    assert cli("--repo", target, "validate").exit_code == 0


def test_a_code_of_no_school_is_refused_not_written_to_every_school(tmp_path, cli):
    r = cli("init", tmp_path / "net", "--library", "XS=Trường A", "--library", "HD=Trường B",
            "--place", "XX=Đông Triều", "--no-ask")
    assert r.exit_code == 2 and "không có trường nào mã XX" in r.output and "XS, HD" in r.output
    assert not (tmp_path / "net").exists()
    # text with "=" that is not a code still goes to every school
    r = cli("init", tmp_path / "ok", "--library", "XS=Trường A", "--authority", "PHÒNG GD&ĐT = ĐÔNG TRIỀU", "--no-ask")
    assert r.exit_code == 0, r.output
    lib = yaml.safe_load((tmp_path / "ok" / "network.yaml").read_text(encoding="utf-8"))["libraries"][0]
    assert lib["authority"] == "PHÒNG GD&ĐT = ĐÔNG TRIỀU"


def test_the_default_source_never_takes_a_url_with_credentials():
    from libsync.scaffold import git_source_of

    sha = "0123456789abcdef0123456789abcdef01234567"
    git_info = {"vcs": "git", "commit_id": sha}
    assert git_source_of({"url": "https://github.com/so-gd/libsync", "vcs_info": git_info}) == \
        f"https://github.com/so-gd/libsync@{sha}"
    assert git_source_of({"url": "ssh://git@github.com/so-gd/libsync.git", "vcs_info": git_info}) == \
        f"ssh://git@github.com/so-gd/libsync.git@{sha}"
    for url in ("https://thu-vien:ghp_secret@github.com/so-gd/libsync",      # a token: never in a workflow
                "https://${GH_TOKEN}@github.com/so-gd/libsync",               # pip's placeholder for one
                "file:///home/it/libsync"):                                   # this computer's folder
        assert git_source_of({"url": url, "vcs_info": git_info}) is None, url
    assert git_source_of({"url": "https://github.com/x/libsync", "vcs_info": {"vcs": "git", "commit_id": "main; x"}}) is None
    assert git_source_of({"url": "https://github.com/x/libsync", "vcs_info": {"vcs": "hg", "commit_id": sha}}) is None
    assert git_source_of(None) is None and git_source_of({"url": "https://x"}) is None
