"""dgs_kg.records.NamedTuple: the typing-free record base behaves like typing.NamedTuple."""
from __future__ import annotations

import pickle

import pytest

from dgs_kg.engines import Cell
from dgs_kg.errors import SourceProblem
from dgs_kg.records import NamedTuple


def test_fields_defaults_methods_and_docstring_are_kept() -> None:
    cell = Cell("x")
    assert Cell._fields == ("value", "kind", "datatype", "language")
    assert cell == ("x", "literal", "", "") and cell.kind == "literal"
    assert str(cell) == "x"  # a method defined in the class body
    assert "One bound value" in (Cell.__doc__ or "")
    assert cell._replace(kind="iri") == Cell("x", "iri")
    assert Cell("x", language="en")._asdict() == {"value": "x", "kind": "literal", "datatype": "", "language": "en"}
    assert Cell.__module__ == "dgs_kg.engines"
    assert pickle.loads(pickle.dumps(cell)) == cell
    problem = SourceProblem("f.tsv", 3, "bad")
    assert str(problem) == "f.tsv:3: bad" and problem.hint == ""


def test_records_are_immutable_and_hashable() -> None:
    cell = Cell("x", "iri")
    with pytest.raises(AttributeError):
        cell.value = "y"  # type: ignore[misc]
    assert {cell, Cell("x", "iri")} == {cell}


def test_a_field_without_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="Broken"):
        class Broken(NamedTuple):
            a: str = ""
            b: str
