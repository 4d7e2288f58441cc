"""Each kind of curator mistake is reported with its file, line and a hint, and nothing is written."""
from __future__ import annotations

from pathlib import Path

import pytest

from dgs_kg.build import build
from dgs_kg.cli import cli
from dgs_kg.errors import SourceError
from dgs_kg.sources import load_sources

GOOD_ROW = ("DGS:0000099\ttest term\tcondition\tA term added by a test.\tPMID:27011826\t\t\t\t")


def _append(path: Path, line: str) -> int:
    """Append one line; return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _problems(src: Path) -> list[str]:
    with pytest.raises(SourceError) as info:
        load_sources(src)
    return [str(p) for p in info.value.problems]


def test_the_real_sources_are_clean() -> None:
    from .conftest import SRC

    loaded = load_sources(SRC)
    assert loaded.terms and loaded.properties and loaded.references


CASES = {
    # name: (file, line to append, expected fragment of the message)
    "duplicate id": ("templates/core.tsv",
                     "DGS:0000001\tanother syndrome\tcondition\tDup.\tPMID:27011826\t\t\t\t", "duplicate ID DGS:0000001"),
    "duplicate label": ("templates/core.tsv",
                        "DGS:0000098\tdeep gluteal syndrome\tcondition\tDup.\tPMID:27011826\t\t\t\t",
                        "duplicate label 'deep gluteal syndrome'"),
    "dangling parent": ("templates/core.tsv",
                        "DGS:0000097\tt1\tcondtion\tA.\tPMID:27011826\t\t\t\t", "closest labels: 'condition'"),
    "missing source": ("templates/core.tsv", "DGS:0000096\tt2\tcondition\tA.\t\t\t\t\t", "missing definition_source"),
    "malformed PMID": ("templates/core.tsv", "DGS:0000095\tt3\tcondition\tA.\tPMID 123x\t\t\t\t",
                       "malformed source 'PMID 123x'"),
    "malformed DOI": ("templates/core.tsv", "DGS:0000094\tt4\tcondition\tA.\thttps://doi.org/10.1/x\t\t\t\t",
                      "malformed source"),
    "unlisted source": ("templates/core.tsv", "DGS:0000093\tt5\tcondition\tA.\tPMID:11111111\t\t\t\t",
                        "not listed in ontology/src/references"),
    "unverified xref": ("templates/core.tsv", "DGS:0000092\tt6\tcondition\tA.\tPMID:27011826\t\tMONDO:9999999\t\t",
                        "xref MONDO:9999999 is not in the verified table"),
    "bad synonym": ("templates/core.tsv", "DGS:0000091\tt7\tcondition\tA.\tPMID:27011826\tsame:x\t\t\t",
                    "malformed synonym 'same:x'"),
    "synonym source not listed": ("templates/core.tsv",
                                  "DGS:0000089\tt10\tcondition\tA.\tPMID:27011826\texact:t ten @ PMID:11111111\t\t\t",
                                  "source 'PMID:11111111' is not listed in ontology/src/references"),
    "synonym source malformed": ("templates/core.tsv",
                                 "DGS:0000088\tt11\tcondition\tA.\tPMID:27011826\texact:t eleven @ pmid 1\t\t\t",
                                 "malformed source"),
    "synonym with @ and no source": ("templates/core.tsv",
                                     "DGS:0000087\tt12\tcondition\tA.\tPMID:27011826\texact:t twelve @ \t\t\t",
                                     "has '@' but no source"),
    "synonym source glued to its text": ("templates/core.tsv",
                                         "DGS:0000085\tt14\tcondition\tA.\tPMID:27011826\texact:t fourteen@PMID:27011826\t\t\t",
                                         "put a space before the '@'"),
    "bad id": ("templates/core.tsv", "UBERON:0001322\tt8\tcondition\tA.\tPMID:27011826\t\t\t\t",
               "not a project term ID"),
    "stray tab": ("templates/core.tsv", "DGS:0000090\tt9\tcondition\tA.\tPMID:27011826\t\t\t\t\textra\tmore",
                  "cells but the header has"),
    "relation without source": ("relations/test.tsv", "deep gluteal syndrome\thas symptom\tcondition\t\t\t",
                                "missing source"),
    "unknown relation": ("relations/test.tsv", "deep gluteal syndrome\thas symptm\tcondition\tPMID:27011826\t\t",
                         "closest labels: 'has symptom'"),
    "bad qualifier": ("relations/test.tsv",
                      "deep gluteal syndrome\thas symptom\tcondition\tPMID:27011826\tsensitivity=high\t",
                      "qualifier sensitivity value 'high'"),
    "bad value": ("values/test.tsv", "deep gluteal syndrome\treported frequency percent\t12%\tPMID:27011826\t",
                  "is not a valid"),
    "same work listed twice, differently": (
        "references/test.tsv", "PMID:27011826\t27011826\t\tDeep gluteal syndrome\tMartin HD, et al.\t2016\t"
        "J Hip Preserv Surg\t", "PMID:27011826 is listed differently at src/references/core.tsv:4 (year)"),
}
HEADERS = {"relations/test.tsv": "subject\trelation\tobject\tsource\tqualifiers\tcomment",
           "values/test.tsv": "subject\tproperty\tvalue\tsource\tcomment",
           "references/test.tsv": "id\tpmid\tdoi\ttitle\tauthors\tyear\tjournal\tnote"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_mistake_is_reported_with_file_and_line(src_copy: Path, case: str) -> None:
    rel, line, fragment = CASES[case]
    path = src_copy / rel
    if rel in HEADERS:
        path.parent.mkdir(exist_ok=True)
        path.write_text(HEADERS[rel] + "\n", encoding="utf-8")
    line_no = _append(path, line)
    problems = _problems(src_copy)
    matching = [p for p in problems if fragment in p]
    assert matching, problems
    assert any(f"{Path(rel).name}:{line_no}" in p for p in matching), matching


def test_unknown_column_is_named_with_a_suggestion(src_copy: Path) -> None:
    path = src_copy / "templates" / "core.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("synonyms", "synonym")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _problems(src_copy)
    assert any("core.tsv:1" in p and "unknown column 'synonym'" in p and "did you mean 'synonyms'" in p
               for p in problems), problems


def test_all_problems_are_reported_at_once(src_copy: Path) -> None:
    path = src_copy / "templates" / "core.tsv"
    _append(path, CASES["missing source"][1])
    _append(path, CASES["malformed PMID"][1])
    assert len(_problems(src_copy)) >= 2


def test_failed_build_writes_nothing(src_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "dgs.ttl").write_text("previous build\n")
    _append(src_copy / "templates" / "core.tsv", CASES["dangling parent"][1])
    with pytest.raises(SourceError):
        build(src_copy, out)
    assert sorted(p.name for p in out.iterdir()) == ["dgs.ttl"]
    assert (out / "dgs.ttl").read_text() == "previous build\n"


def test_cli_reports_source_errors_without_traceback(src_copy: Path, runner) -> None:  # type: ignore[no-untyped-def]
    _append(src_copy / "templates" / "core.tsv", CASES["duplicate id"][1])
    result = runner.invoke(cli, ["build", "--src", str(src_copy), "--out", str(src_copy.parent)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "core.tsv:" in result.output and "duplicate ID" in result.output
    assert not (src_copy.parent / "dgs.ttl").exists()


def test_a_synonym_carries_the_sources_it_was_seen_in(src_copy: Path) -> None:
    """`scope[type]:text @ source, source` puts each source on the synonym's axiom, beside its type."""
    from rdflib import Literal, URIRef

    from dgs_kg.build import compile_sources
    from dgs_kg.vocab import OIO_SOURCE, OIO_SYNONYM_TYPE, SYNONYM_SCOPES

    _append(src_copy / "templates" / "core.tsv",
            "DGS:0000086\tt13\tcondition\tA.\tPMID:27011826\t"
            "exact[abbreviation]:T13 @ PMID:27011826, doi:10.1007/s00167-020-05966-x | related:thirteen\t\t\t")
    graph = compile_sources(load_sources(src_copy)).full
    term = URIRef("https://w3id.org/dgs-kg/DGS_0000086")
    exact = SYNONYM_SCOPES["exact"]
    assert (term, exact, Literal("T13")) in graph
    axioms = list(graph.subjects(URIRef("http://www.w3.org/2002/07/owl#annotatedTarget"), Literal("T13")))
    assert len(axioms) == 1
    assert set(graph.objects(axioms[0], OIO_SOURCE)) == {Literal("PMID:27011826"),
                                                         Literal("doi:10.1007/s00167-020-05966-x")}
    assert len(list(graph.objects(axioms[0], OIO_SYNONYM_TYPE))) == 1
    # A synonym without '@' stays a plain annotation with no axiom.
    assert not list(graph.subjects(URIRef("http://www.w3.org/2002/07/owl#annotatedTarget"), Literal("thirteen")))
