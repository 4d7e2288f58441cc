"""`pip install dgs-kg` alone gives a working tool: the wheel carries the artefacts and queries."""
from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_and_runs_from_its_own_data(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("dgs_kg-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # Dependencies come from this test environment (no network); dgs_kg itself only from the wheel.
    site = Path(subprocess.check_output([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True)
    where = subprocess.check_output([str(py), "-c", "import dgs_kg.constants as c; print(c.data_dir())"],
                                    text=True, cwd=tmp_path).strip()
    assert where.startswith(str(site)), where
    out = subprocess.run([str(venv / "bin" / "dgs-kg"), "info", "--format", "json"], capture_output=True,
                         text=True, cwd=tmp_path, check=True)
    stats = json.loads(out.stdout)
    assert stats["project_classes"] > 0 and stats["publications"] > 0
    shipped = Path(where)
    assert (shipped / "dgs.owl").read_bytes() == (ROOT / "ontology" / "dgs.owl").read_bytes()
    assert sorted(p.name for p in (shipped.parent / "queries").iterdir()) == \
        sorted(p.name for p in (ROOT / "queries").iterdir())
