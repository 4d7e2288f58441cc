"""Reasoning with explanations: HermiT plus the OWL API explanation library, in one Java run.

owlready2 reports only that something is unsatisfiable or inconsistent. The small Java program
``dgs_kg/java/Explain.java`` runs against the HermiT jar that owlready2 bundles and returns, for
each unsatisfiable class, a minimal justification (BlackBoxExplanation + HSTExplanationGenerator in
the class's locality module), and for an inconsistent ontology a minimal set of axioms found by
QuickXplain contraction over HermiT consistency checks. Each axiom comes back in words, with the
``oboInOwl:source`` of the axiom and the file it came from. The same run checks the OWL 2 DL
profile of the merged input and lists the inferred hierarchy changes.
"""
from __future__ import annotations

import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ReasonerError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .engines import QueryEngine



@dataclass
class ExplainedAxiom:
    """One axiom of a justification, readable and traceable."""

    words: str
    sources: list[str]
    file: str
    functional: str


@dataclass
class Justification:
    """A minimal set of axioms that makes ``target`` unsatisfiable (or the ontology inconsistent)."""

    target: str  # class IRI, or "inconsistency"
    label: str
    axioms: list[ExplainedAxiom] = field(default_factory=list)


@dataclass
class ReasonerReport:
    """Everything one HermiT run concluded about the ontology plus the user's files."""

    consistent: bool = True
    unsatisfiable: list[tuple[str, str]] = field(default_factory=list)  # (IRI, label)
    inferred: list[tuple[str, str, str, str]] = field(default_factory=list)  # (class, label, super, label)
    equivalent: list[tuple[str, str, str, str]] = field(default_factory=list)
    justifications: list[Justification] = field(default_factory=list)
    profile_violations: list[str] = field(default_factory=list)
    explanation_errors: dict[str, str] = field(default_factory=dict)  # class IRI -> message
    profile_checked: bool = False
    reasoned: bool = False
    error: str = ""
    files: list[tuple[str, int]] = field(default_factory=list)  # (path, logical axioms)
    java_ms: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


#: Properties the OWL API must know in every extension file: its RDF parser reads each file on its
#: own, and without a declaration it drops axiom annotations (sources) and cannot tell an object
#: property from a data property in a restriction.
_BUILTIN_ANNOTATION_PROPERTIES = ("http://www.geneontology.org/formats/oboInOwl#source",
                                  "http://www.geneontology.org/formats/oboInOwl#hasDbXref",
                                  "http://purl.obolibrary.org/obo/IAO_0000115")
_DECLARATIONS_QUERY = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?p ?t WHERE {
  VALUES ?t { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?p a ?t . FILTER (isIRI(?p))
} ORDER BY ?p ?t"""
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def declarations(engine: QueryEngine) -> str:
    """N-Triples declaring every property the engine's graph declares (plus the source properties)."""
    _, rows = engine.select(_DECLARATIONS_QUERY)
    pairs = {(row["p"].value, row["t"].value) for row in rows}
    pairs |= {(iri, "http://www.w3.org/2002/07/owl#AnnotationProperty") for iri in _BUILTIN_ANNOTATION_PROPERTIES}
    return "".join(f"<{p}> {_RDF_TYPE} <{t}> .\n" for p, t in sorted(pairs))


def _readable(path: Path, folder: Path, n: int, declare: str) -> Path:
    """A file the OWL API reads well. The main ontology (n == 0) and OWL syntaxes go as they are;
    an RDF extension file is rewritten as N-Triples (same file name, so explanations cite it) with
    the ontology's property declarations appended."""
    suffix = path.suffix.lower()
    if n == 0 or suffix in (".owx", ".ofn", ".omn"):
        return path
    import pyoxigraph as ox

    from .engines import _rdf_format_for

    fmt = {"turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML, "nt": ox.RdfFormat.N_TRIPLES,
           "n3": ox.RdfFormat.N3, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
           "json-ld": ox.RdfFormat.JSON_LD}[_rdf_format_for(path)]
    (folder / str(n)).mkdir()
    out = folder / str(n) / path.name
    try:
        with out.open("wb") as fh:
            ox.serialize((q.triple for q in ox.parse(path=str(path), format=fmt)), fh,
                         format=ox.RdfFormat.N_TRIPLES)
            fh.write(declare.encode())
    except (SyntaxError, ValueError) as exc:
        raise UsageError(f"{path}: not valid RDF: {str(exc).splitlines()[0][:200]}") from exc
    return out


def parse_output(text: str) -> ReasonerReport:
    """Turn the tab-separated records of Explain.java into a :class:`ReasonerReport`."""
    report = ReasonerReport()
    by_target: dict[str, Justification] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        kind, rest = parts[0], parts[1:]
        if kind == "FILE" and len(rest) == 2:
            report.files.append((rest[0], int(rest[1])))
        elif kind == "PROFILE" and rest:
            report.profile_violations.append(rest[0])
        elif kind == "PROFILE_COUNT":
            report.profile_checked = True
        elif kind == "CONSISTENT" and rest:
            report.reasoned = True
            report.consistent = rest[0] == "true"
        elif kind == "UNSAT" and len(rest) == 2:
            report.unsatisfiable.append((rest[0], rest[1]))
        elif kind == "INFERRED" and len(rest) == 4:
            report.inferred.append((rest[0], rest[1], rest[2], rest[3]))
        elif kind == "EQUIV" and len(rest) == 4:
            report.equivalent.append((rest[0], rest[1], rest[2], rest[3]))
        elif kind == "JUSTIFICATION" and len(rest) >= 2:
            just = Justification(rest[0], rest[1])
            by_target[rest[0]] = just
            report.justifications.append(just)
        elif kind == "AXIOM" and len(rest) == 5 and rest[0] in by_target:
            sources = [s for s in rest[2].split(" | ") if s]
            by_target[rest[0]].axioms.append(ExplainedAxiom(rest[1], sources, rest[3], rest[4]))
        elif kind == "JUSTIFICATION_ERROR" and len(rest) == 2:
            report.explanation_errors[rest[0]] = rest[1]
        elif kind == "REASONER_ERROR":
            report.error = rest[0] if rest else "HermiT failed"
        elif kind == "DONE" and rest:
            report.java_ms = int(rest[0])
    report.unsatisfiable.sort(key=lambda u: (u[1].lower(), u[0]))
    report.inferred.sort(key=lambda r: (r[1].lower(), r[3].lower(), r[0], r[2]))
    return report


def explain(paths: list[Path], *, max_explanations: int = 20, hierarchy: bool = True,
            profile: bool = True, reason: bool = True, timeout: int = 900,
            declare: str | None = None) -> ReasonerReport:
    """Run HermiT (and the OWL 2 DL profile check) over ``paths`` merged into one ontology.

    ``declare`` is N-Triples added to each extension file (see :func:`declarations`); by default
    it is computed from all the files.
    """
    from .reason import hermit_jar, java_class_dir, java_executable

    java = java_executable()
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    cp = f"{java_class_dir('Explain')}:{hermit_jar()}"
    args = [java, "-Xss16m", "-cp", cp, "Explain", "--max", str(max_explanations)]
    if not hierarchy:
        args.append("--no-hierarchy")
    if profile:
        args.append("--profile")
    if not reason:
        args.append("--no-reason")
    with tempfile.TemporaryDirectory(prefix="dgs-kg-explain-") as tmp:
        if declare is None and len(paths) > 1:
            from .engines import OxigraphEngine

            declare = declarations(OxigraphEngine(list(paths)))
        files = [str(_readable(p, Path(tmp), n, declare or "")) for n, p in enumerate(paths)]
        try:
            proc = subprocess.run(args + files, capture_output=True, text=True, encoding="utf-8",
                                  timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise ReasonerError(f"HermiT took longer than {timeout} s; try --no-reasoner") from exc
    if proc.returncode != 0 or "\nDONE\t" not in "\n" + proc.stdout:
        lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        cause = next((ln for ln in lines if "Exception" in ln or "Error" in ln), lines[0] if lines else "")
        culprit = next((p for p in paths if str(p) in proc.stderr), None)
        where = f" in {culprit}" if culprit else ""
        raise ReasonerError(f"the OWL API/HermiT could not process the input{where}: "
                            f"{cause.strip()[:300] or 'no output'}")
    report = parse_output(proc.stdout)
    report.files = [(str(p), count) for p, (_, count) in zip(paths, report.files)]
    return report
