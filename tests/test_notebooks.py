"""The three notebooks are committed without outputs and run top to bottom (nbclient, a real
IPython kernel) on a fresh build, with every non-local network connection refused."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
DISCLAIMER = "not clinical advice"
GUARD = '''import socket as _socket
_connect = _socket.socket.connect
def _local_only(self, address, *args):
    if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
        raise OSError(f"network access attempted from a notebook: {address}")
    return _connect(self, address, *args)
_socket.socket.connect = _local_only'''


def run(name: str, built: Path, tmp_path: Path) -> tuple[str, list[dict]]:
    """Execute a notebook on the build; return all its text output and the output objects."""
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    params = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "ONTOLOGY = None" in params[0].source
    params[0].source = f"ONTOLOGY = {str(built / 'dgs.ttl')!r}"
    book.cells.insert(0, nbformat.v4.new_code_cell(GUARD))
    NotebookClient(book, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    text += "".join(o.get("data", {}).get("text/plain", "") for o in outputs if "data" in o)
    return text, outputs


@pytest.mark.parametrize("name", ["educators.ipynb", "researchers.ipynb", "ontology-engineers.ipynb"])
def test_committed_without_outputs(name: str) -> None:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert DISCLAIMER in book.cells[0].source


@pytest.mark.slow
def test_educators_notebook_draws_from_the_ontology(built: Path, tmp_path: Path) -> None:
    text, outputs = run("educators.ipynb", built, tmp_path)
    assert "ischiofemoral impingement (DGS:0000304" in text
    assert "1. piriformis muscle" in text and "5. quadratus femoris" in text
    svgs = [o["data"]["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 2 and all("not clinical advice" in " ".join(s.split()) for s in svgs)
    assert "flowchart LR" in text and "explorer.html" in text


@pytest.mark.slow
def test_researchers_notebook_queries_the_api(built: Path, tmp_path: Path) -> None:
    text, _ = run("researchers.ipynb", built, tmp_path)
    assert "deep gluteal syndrome DGS:0000001" in text
    assert "structures-of-variant" in text
    assert "--" in text and "nodes," in text


@pytest.mark.slow
@pytest.mark.reasoner
def test_ontology_engineers_notebook_checks_and_explains(built: Path, tmp_path: Path) -> None:
    text, _ = run("ontology-engineers.ipynb", built, tmp_path)
    assert "consistent: True" in text
    assert "unsatisfiable: condition that is a procedure" in text
    why = text.split("why 'condition that is a procedure' is unsatisfiable:")[1]
    assert "is a 'condition'" in why and "is a 'procedure'" in why and "disjoint" in why
