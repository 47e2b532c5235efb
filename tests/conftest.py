"""Shared fixtures: a private copy of the example network, a private cache folder, the CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Every message key the tests reach must exist in every language (libsync.i18n reads this at
# import): keys built at run time are checked wherever a test gets to them.
os.environ["LIBSYNC_STRICT_I18N"] = "1"

import pytest
from typer.testing import CliRunner

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE_PARTS = ("network.yaml", "records", "exchanges", "inventories", "catalog")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own cache folder and Vietnamese messages by default."""
    monkeypatch.setenv("LIBSYNC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("LIBSYNC_REPO", raising=False)
    from libsync.i18n import set_language

    set_language("vi")
    yield
    set_language("vi")


def copy_example(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        src = PROJECT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture
def example_repo(tmp_path) -> Path:
    """A copy of the embedded example network that a test may change."""
    return copy_example(tmp_path / "network")


@pytest.fixture
def cli():
    """``cli(*args)`` runs libsync in-process and returns the click Result."""
    from libsync.cli import create_app

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(create_app(), [str(a) for a in args], input=input, catch_exceptions=False)

    return run
