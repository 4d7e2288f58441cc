"""Extract the Uberon import module (seeded, MIREOT-style) from local Uberon files.

For each seed ID the module carries the class, its label, its definition and its is_a and
part_of parents, following parents upwards until the chain closes. Sources are read in the order
given; the first that has a term wins, so a newer release can be listed before an older subset.
Nothing is downloaded: users pass the files.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from .build import _bnode, _canonical
from .vocab import IAO_DEFINITION, OBO
from .errors import UsageError

PART_OF = OBO["BFO_0000050"]
IMPORT_IRI = "https://w3id.org/dgs-kg/imports/uberon_import.owl"
_OBO_ID = re.compile(r"^([A-Za-z]+):(\w+)$")


@dataclass
class ExternalTerm:
    """What the module keeps of one external class."""

    curie: str
    label: str = ""
    definition: str = ""
    is_a: list[str] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)
    origin: str = ""
    xrefs: list[str] = field(default_factory=list)


def obo_iri(curie: str) -> URIRef:
    m = _OBO_ID.match(curie)
    if not m:
        raise UsageError(f"'{curie}' is not an OBO CURIE such as UBERON:0001322")
    return OBO[f"{m.group(1)}_{m.group(2)}"]


def iri_to_curie(iri: str) -> str | None:
    if iri.startswith(str(OBO)):
        local = iri[len(str(OBO)):]
        if "_" in local:
            prefix, _, rest = local.partition("_")
            return f"{prefix}:{rest}"
    return None


def read_obo(path: Path) -> dict[str, ExternalTerm]:
    """Read [Term] stanzas of an OBO file: id, name, def, is_a, relationship part_of."""
    terms: dict[str, ExternalTerm] = {}
    current: ExternalTerm | None = None
    obsolete = False
    in_term = False
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if line.startswith("["):
                if current is not None and in_term and not obsolete:
                    terms[current.curie] = current
                in_term, current, obsolete = line.strip() == "[Term]", None, False
                continue
            if not in_term or ":" not in line:
                continue
            tag, _, value = line.partition(": ")
            value = re.sub(r"\s+!.*$", "", value).strip()
            if tag == "id":
                current = ExternalTerm(value, origin=path.name)
            elif current is None:
                continue
            elif tag == "name":
                current.label = value
            elif tag == "def":
                m = re.match(r'^"((?:[^"\\]|\\.)*)"', value)
                current.definition = m.group(1).replace('\\"', '"') if m else ""
            elif tag == "is_a":
                current.is_a.append(value.split()[0])
            elif tag == "relationship" and value.startswith("part_of "):
                current.part_of.append(value.split()[1])
            elif tag == "xref" and _OBO_ID.match(value.split()[0]):
                current.xrefs.append(value.split()[0])
            elif tag == "is_obsolete" and value == "true":
                obsolete = True
    if current is not None and in_term and not obsolete:
        terms[current.curie] = current
    return terms


def read_owl(path: Path) -> dict[str, ExternalTerm]:
    """Read classes of an OWL file (RDF/XML or Turtle) with pyoxigraph, which copes with full Uberon."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.TURTLE if path.suffix in (".ttl",) else ox.RdfFormat.RDF_XML
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt, base_iri="http://purl.obolibrary.org/obo/")
    except (SyntaxError, ValueError, OSError) as exc:
        raise UsageError(f"{path}: cannot read as {fmt}: {exc}") from exc
    q = """
    PREFIX owl: <http://www.w3.org/2002/07/owl#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?c ?label ?def ?parent ?whole ?dep WHERE {
      ?c a owl:Class . FILTER(isIRI(?c))
      OPTIONAL { ?c rdfs:label ?label }
      OPTIONAL { ?c <http://purl.obolibrary.org/obo/IAO_0000115> ?def }
      OPTIONAL { ?c rdfs:subClassOf ?parent . FILTER(isIRI(?parent)) }
      OPTIONAL { ?c rdfs:subClassOf [ owl:onProperty <http://purl.obolibrary.org/obo/BFO_0000050> ;
                                       owl:someValuesFrom ?whole ] . FILTER(isIRI(?whole)) }
      OPTIONAL { ?c owl:deprecated ?dep }
    }"""
    terms: dict[str, ExternalTerm] = {}
    deprecated: set[str] = set()
    for row in store.query(q):  # type: ignore[union-attr]
        curie = iri_to_curie(row["c"].value)
        if curie is None:
            continue
        term = terms.setdefault(curie, ExternalTerm(curie, origin=path.name))
        if row["label"] is not None and not term.label:
            term.label = row["label"].value
        if row["def"] is not None and not term.definition:
            term.definition = row["def"].value
        for key, target in (("parent", term.is_a), ("whole", term.part_of)):
            if row[key] is not None:
                parent = iri_to_curie(row[key].value)
                if parent and parent not in target:
                    target.append(parent)
        if row["dep"] is not None and row["dep"].value == "true":
            deprecated.add(curie)
    return {k: v for k, v in terms.items() if k not in deprecated}


def read_mireot(path: Path) -> dict[str, ExternalTerm]:
    """Read hand-verified MIREOT rows (id, label, is_a, part_of, definition, seen_in)."""
    terms: dict[str, ExternalTerm] = {}
    with path.open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            curie = (row.get("id") or "").strip()
            if not curie:
                continue
            if not _OBO_ID.match(curie) or not (row.get("label") or "").strip():
                raise UsageError(f"{path}:{n}: a MIREOT row needs an OBO id and a label")
            split = lambda cell: [x.strip() for x in (cell or "").split("|") if x.strip()]  # noqa: E731
            terms[curie] = ExternalTerm(curie, row["label"].strip(), (row.get("definition") or "").strip(),
                                        split(row.get("is_a")), split(row.get("part_of")),
                                        (row.get("seen_in") or path.name).strip())
    return terms


def read_any(path: Path) -> dict[str, ExternalTerm]:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if path.suffix == ".obo":
        return read_obo(path)
    if path.suffix == ".tsv":
        return read_mireot(path)
    return read_owl(path)


def read_seeds(path: Path) -> list[str]:
    """Seed IDs, one per line; '#' starts a comment."""
    seeds = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if not _OBO_ID.match(text):
            raise UsageError(f"{path}:{n}: '{text}' is not a CURIE such as UBERON:0001322")
        seeds.append(text)
    return seeds


def _aliases(tables: list[dict[str, ExternalTerm]],
             lookup: Callable[[str], ExternalTerm | None]) -> dict[str, str]:
    """Foreign classes that a source term declares as its own cross-reference under the same label.

    Graph-reduced subsets point at some upper-level classes under a foreign ID: the 2022 Uberon
    subset has 'hip joint is_a CARO:0000000 anatomical entity', while UBERON:0001062 'anatomical
    entity' carries 'xref: CARO:0000000'. Such an xref with an identical label names the same class,
    so the module uses the Uberon ID for it and never emits the foreign duplicate (and its label).
    """
    aliases: dict[str, str] = {}
    for table in tables:
        for curie, term in table.items():
            own = lookup(curie)
            if own is None:
                continue
            for xref in term.xrefs:
                other = lookup(xref)
                if curie in aliases or xref in aliases.values():
                    continue
                if xref != curie and other is not None and other.label == own.label:
                    aliases.setdefault(xref, curie)
    return aliases


def extract(seeds: Iterable[str], sources: list[Path]) -> tuple[Graph, list[str]]:
    """Build the import module graph; return it with the seeds no source had."""
    tables = [read_any(p) for p in sources]

    def lookup(curie: str) -> ExternalTerm | None:
        for table in tables:
            term = table.get(curie)
            if term is not None and term.label:
                return term
        return None

    aliases = _aliases(tables, lookup)

    def resolve(curies: list[str], own: str) -> list[str]:
        return [c for c in dict.fromkeys(aliases.get(x, x) for x in curies) if c != own]

    todo = list(dict.fromkeys(aliases.get(s, s) for s in seeds))
    found: dict[str, ExternalTerm] = {}
    missing: list[str] = []
    while todo:
        curie = todo.pop(0)
        if curie in found or curie in missing:
            continue
        term = lookup(curie)
        if term is None:
            missing.append(curie)
            continue
        term = ExternalTerm(term.curie, term.label, term.definition, resolve(term.is_a, curie),
                            resolve(term.part_of, curie), term.origin, term.xrefs)
        found[curie] = term
        todo.extend(term.is_a + term.part_of)

    graph = Graph()
    ont = URIRef(IMPORT_IRI)
    graph.add((ont, RDF.type, OWL.Ontology))
    origins = sorted({t.origin for t in found.values()})
    graph.add((ont, RDFS.comment, Literal(
        "Uberon import module for dgs-kg, extracted by 'dgs-kg imports' from: " + "; ".join(origins)
        + ". Uberon is released under CC BY 3.0 (http://creativecommons.org/licenses/by/3.0/).")))
    graph.add((IAO_DEFINITION, RDF.type, OWL.AnnotationProperty))
    graph.add((PART_OF, RDF.type, OWL.ObjectProperty))
    graph.add((PART_OF, RDFS.label, Literal("part of")))
    for curie, term in sorted(found.items()):
        iri = obo_iri(curie)
        graph.add((iri, RDF.type, OWL.Class))
        graph.add((iri, RDFS.label, Literal(term.label)))
        if term.definition:
            graph.add((iri, IAO_DEFINITION, Literal(term.definition)))
        for parent in term.is_a:
            if parent in found:
                graph.add((iri, RDFS.subClassOf, obo_iri(parent)))
        for whole in term.part_of:
            if whole in found:
                r = _bnode("import-part-of", iri, whole)
                graph.add((r, RDF.type, OWL.Restriction))
                graph.add((r, OWL.onProperty, PART_OF))
                graph.add((r, OWL.someValuesFrom, obo_iri(whole)))
                graph.add((iri, RDFS.subClassOf, r))
    return _canonical(graph), missing


def write_module(seeds_file: Path, sources: list[Path], out: Path) -> tuple[int, list[str]]:
    """Extract and write the module; return (class count, missing seeds)."""
    graph, missing = extract(read_seeds(seeds_file), sources)
    header = ("# Generated by 'dgs-kg imports' from the seed list " + seeds_file.name
              + "; do not edit by hand. Uberon: CC BY 3.0.\n")
    out.write_bytes(header.encode() + graph.serialize(format="turtle").encode())
    return len(set(graph.subjects(RDF.type, OWL.Class))), missing
