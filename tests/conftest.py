"""Shared fixtures: the real source tree, a fresh build of it, and a click runner."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "ontology" / "src"
ONTOLOGY = ROOT / "ontology"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the real sources in a temporary folder."""
    from dgs_kg.build import build

    out = tmp_path_factory.mktemp("built")
    build(SRC, out)
    return out


@pytest.fixture()
def src_copy(tmp_path: Path) -> Path:
    """A writable copy of ontology/src (and the imports beside it) to break on purpose."""
    dest = tmp_path / "ontology"
    shutil.copytree(SRC, dest / "src")
    shutil.copytree(ONTOLOGY / "imports", dest / "imports")
    return dest / "src"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()
