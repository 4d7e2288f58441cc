"""Synthetic case data for benchmarks and demos: patients with findings, test results and diagnoses.

Records follow docs/dev/case-vocabulary.md (``case:`` namespace) and point at ontology classes:
findings under DGS:0000011 (clinical finding), tests under DGS:0000012 (procedure), diagnoses under
DGS:0000010 (condition). Where the ontology links a condition to findings or tests (any
``SubClassOf(C, R some D)`` axiom, in either direction), a patient with that diagnosis draws most of
its findings and tests from those, so queries that join case data with the ontology find matches.

The output is deterministic for a given ontology, target size and seed. The people are invented:
research and education only, not clinical advice.

Run: ``python -m dgs_kg.synthetic --triples 100000 --seed 1 -o cases.nt``
"""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .engines import QueryEngine
from .errors import DgsKgError, UsageError

CASE = "https://w3id.org/dgs-kg/case/"
DGS = "https://w3id.org/dgs-kg/DGS_"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
DEFAULT_BASE = "https://example.org/dgs-kg-synthetic/"
ROOTS = {"finding": DGS + "0000011", "test": DGS + "0000012", "condition": DGS + "0000010"}
SEXES = ("female", "male", "other", "unknown")
SEX_WEIGHTS = (0.55, 0.43, 0.01, 0.01)


@dataclass
class Vocabulary:
    """The ontology classes case records may point at, and which belong together."""

    findings: list[str]
    tests: list[str]
    conditions: list[str]
    related: dict[str, set[str]] = field(default_factory=dict)


_POOL = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* <{root}> . ?c a owl:Class . FILTER(isIRI(?c)) }}"""
_LINKS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?a ?b WHERE { ?a rdfs:subClassOf ?r . ?r owl:someValuesFrom ?b . FILTER(isIRI(?a) && isIRI(?b)) }"""


def vocabulary(engine: QueryEngine) -> Vocabulary:
    """Read the finding, test and condition classes (sorted, so output is reproducible)."""
    pools: dict[str, list[str]] = {}
    for kind, root in ROOTS.items():
        _, rows = engine.select(_POOL.format(root=root))
        pools[kind] = sorted(row["c"].value for row in rows)
        if not pools[kind]:
            raise DgsKgError(f"the ontology has no {kind} classes (nothing under <{root}>); "
                             "pass a built dgs.ttl with --ontology")
    related: dict[str, set[str]] = {}
    _, rows = engine.select(_LINKS)
    for row in rows:
        a, b = row["a"].value, row["b"].value
        related.setdefault(a, set()).add(b)
        related.setdefault(b, set()).add(a)
    return Vocabulary(pools["finding"], pools["test"], pools["condition"], related)


def _iri(value: str) -> str:
    return f"<{value}>"


def _literal(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


class _Writer:
    """Writes N-Triples lines and counts them."""

    def __init__(self, out: object) -> None:
        self.out = out
        self.count = 0

    def triple(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")  # type: ignore[attr-defined]
        self.count += 1


def _pick(rng: random.Random, preferred: list[str], pool: list[str], k: int, bias: float = 0.8) -> list[str]:
    """k distinct classes, each drawn from ``preferred`` with probability ``bias`` when there are any."""
    chosen: list[str] = []
    for _ in range(k * 4):  # bounded: small pools may not have k distinct classes
        if len(chosen) == k:
            break
        source = preferred if preferred and rng.random() < bias else pool
        candidate = source[rng.randrange(len(source))]
        if candidate not in chosen:
            chosen.append(candidate)
    return chosen


def generate(vocab: Vocabulary, triples: int, out: object, seed: int = 1, base: str = DEFAULT_BASE) -> tuple[int, int]:
    """Write patients as N-Triples to ``out`` until at least ``triples`` triples; return (patients, triples)."""
    if triples <= 0:
        raise UsageError("--triples must be positive")
    rng = random.Random(seed)
    writer = _Writer(out)
    patient_type, result_type = _iri(CASE + "Patient"), _iri(CASE + "TestResult")
    p_type, p_label = _iri(RDF_TYPE), _iri(RDFS_LABEL)
    p_age, p_sex = _iri(CASE + "age"), _iri(CASE + "sex")
    p_finding, p_diagnosis = _iri(CASE + "hasFinding"), _iri(CASE + "hasDiagnosis")
    p_result, p_test, p_value = _iri(CASE + "hasTestResult"), _iri(CASE + "test"), _iri(CASE + "value")
    findings_set, tests_set = set(vocab.findings), set(vocab.tests)
    number = 0
    while writer.count < triples:
        number += 1
        pid = f"p{number:07d}"
        patient = _iri(f"{base}{pid}")
        diagnosis = vocab.conditions[rng.randrange(len(vocab.conditions))]
        linked = sorted(vocab.related.get(diagnosis, ()))
        writer.triple(patient, p_type, patient_type)
        writer.triple(patient, p_label, _literal(f"synthetic patient {number}"))
        writer.triple(patient, p_age, f'"{rng.randint(18, 85)}"^^<{XSD_INTEGER}>')
        writer.triple(patient, p_sex, _literal(rng.choices(SEXES, SEX_WEIGHTS)[0]))
        for finding in _pick(rng, [c for c in linked if c in findings_set], vocab.findings, rng.randint(1, 5)):
            writer.triple(patient, p_finding, _iri(finding))
        for index, test in enumerate(_pick(rng, [c for c in linked if c in tests_set], vocab.tests,
                                           rng.randint(0, 3)), start=1):
            result = _iri(f"{base}{pid}-t{index}")
            writer.triple(patient, p_result, result)
            writer.triple(result, p_type, result_type)
            writer.triple(result, p_test, _iri(test))
            writer.triple(result, p_value, _literal("positive" if rng.random() < 0.6 else "negative"))
        if rng.random() < 0.85:
            writer.triple(patient, p_diagnosis, _iri(diagnosis))
    return number, writer.count


def write_synthetic(path: Path, triples: int, seed: int = 1, ontology: list[Path] | None = None,
                    base: str = DEFAULT_BASE) -> tuple[int, int]:
    """Generate into an N-Triples file (written to a temporary name, then renamed)."""
    from .engines import OxigraphEngine

    if path.suffix.lower() != ".nt":
        raise UsageError(f"{path}: synthetic data is written as N-Triples; name the file *.nt")
    if triples <= 0:
        raise UsageError("--triples must be positive")
    vocab = vocabulary(OxigraphEngine(ontology))
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            counts = generate(vocab, triples, out, seed=seed, base=base)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic DGS case data (N-Triples). Research and "
                                                 "education only, not clinical advice.")
    parser.add_argument("--triples", type=int, default=10_000, help="target size in triples (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ontology", type=Path, action="append", help="ontology file (default: bundled dgs.ttl)")
    parser.add_argument("--base", default=DEFAULT_BASE, help="IRI prefix of the case records")
    parser.add_argument("-o", "--output", type=Path, required=True, help="output file, *.nt")
    args = parser.parse_args(argv)
    try:
        patients, count = write_synthetic(args.output, args.triples, args.seed, args.ontology, args.base)
    except DgsKgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"wrote {args.output}: {patients:,} synthetic patients, {count:,} triples (seed {args.seed})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
