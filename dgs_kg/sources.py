"""Read and validate the hand-edited ontology sources in ``ontology/src``.

Everything a curator can get wrong is checked here, before anything is written, and reported as
a :class:`~dgs_kg.errors.SourceProblem` naming the file, the line, the column and a fix. The result
is an :class:`OntologySource` in which every term reference is already resolved to an IRI.
"""
from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .constants import converter
from .vocab import SYNONYM_SCOPES, SYNONYM_TYPES
from .errors import SourceError, SourceProblem

MULTI_SEP = "|"
DGS_ID = re.compile(r"^DGS:\d{7}$")
CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:[^\s|]+$")
PMID = re.compile(r"^PMID:[1-9]\d{0,8}$")
DOI = re.compile(r"^doi:10\.\d{4,9}/\S+$")
# scope[type]:text @ source, source  (the "@ sources" part is optional: where the synonym was seen)
SYNONYM = re.compile(r"^(?P<scope>[a-z]+)(?:\[(?P<type>[a-z]+)\])?:(?P<text>.+?)(?:\s+@\s*(?P<sources>.*))?$")
CHARACTERISTICS = {
    "transitive": OWL.TransitiveProperty,
    "symmetric": OWL.SymmetricProperty,
    "asymmetric": OWL.AsymmetricProperty,
    "reflexive": OWL.ReflexiveProperty,
    "irreflexive": OWL.IrreflexiveProperty,
    "functional": OWL.FunctionalProperty,
    "inverse functional": OWL.InverseFunctionalProperty,
}
PROPERTY_TYPES = {
    "object": OWL.ObjectProperty,
    "annotation": OWL.AnnotationProperty,
    "data": OWL.DatatypeProperty,
}
DATATYPES = {"xsd:decimal": XSD.decimal, "xsd:integer": XSD.integer, "xsd:string": XSD.string}

#: Columns of each table kind: (required, optional).
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "templates": (("id", "label", "parent", "definition", "definition_source"),
                  ("synonyms", "xrefs", "subsets", "equivalent_to", "comment")),
    "properties": (("id", "label", "type"),
                   ("parent", "domain", "range", "characteristics", "inverse", "definition",
                    "definition_source", "comment")),
    "relations": (("subject", "relation", "object", "source"), ("qualifiers", "comment")),
    "values": (("subject", "property", "value", "source"), ("comment",)),
    "references": (("id", "pmid", "doi", "title"), ("authors", "year", "journal", "note")),
}


@dataclass(frozen=True)
class Synonym:
    scope: str
    text: str
    type: str = ""
    sources: tuple[str, ...] = ()  # the works in which this wording was seen


@dataclass
class Term:
    """A class minted by dgs-kg, from one row of a template."""

    iri: URIRef
    curie: str
    label: str
    parents: list[URIRef]
    definition: str
    definition_sources: list[str]
    synonyms: list[Synonym]
    xrefs: list[str]
    subsets: list[str]
    comment: str
    file: str
    line: int
    #: A defined class: its genus classes and (relation, filler) restrictions, intersected.
    equivalent_genus: list[URIRef] = field(default_factory=list)
    equivalent_restrictions: list[tuple[URIRef, URIRef]] = field(default_factory=list)


@dataclass
class Property:
    """An object, annotation or data property, reused from RO/BFO or minted by dgs-kg."""

    iri: URIRef
    curie: str
    label: str
    type: str
    parents: list[URIRef]
    domain: URIRef | None
    range: URIRef | None
    characteristics: list[str]
    inverse: URIRef | None
    definition: str
    definition_sources: list[str]
    file: str
    line: int


@dataclass
class Relation:
    """One relationship axiom: ``subject SubClassOf relation some object``, with its sources."""

    subject: URIRef
    relation: URIRef
    object: URIRef
    sources: list[str]
    qualifiers: list[tuple[URIRef, Literal]]
    comment: str
    file: str
    line: int


@dataclass
class Value:
    """A sourced data value about a term (an annotation assertion with provenance)."""

    subject: URIRef
    property: URIRef
    value: Literal
    sources: list[str]
    comment: str
    file: str
    line: int


@dataclass
class Reference:
    """A cited work; becomes an individual of the bibliography."""

    id: str
    pmid: str
    doi: str
    title: str
    authors: str
    year: str
    journal: str
    file: str
    line: int


@dataclass
class OntologySource:
    """All validated sources, ready for :mod:`dgs_kg.build`."""

    root: Path
    header: Graph
    imports: Graph
    terms: list[Term] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    xref_table: dict[str, VerifiedXref] = field(default_factory=dict)


@dataclass
class _Row:
    file: str
    line: int
    cells: dict[str, str]


class _Collector:
    """Accumulates problems so a curator sees all of them at once, not one per build."""

    def __init__(self) -> None:
        self.problems: list[SourceProblem] = []

    def add(self, file: str, line: int, message: str, hint: str = "", column: str = "") -> None:
        self.problems.append(SourceProblem(file, line, message, hint, column))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(MULTI_SEP) if part.strip()]


def _read_table(path: Path, kind: str, root: Path, problems: _Collector) -> Iterator[_Row]:
    """Yield the rows of one TSV, checking its columns against the schema of ``kind``."""
    rel = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
    required, optional = COLUMNS[kind]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(rel, 0, f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                     "save the file as UTF-8")
        return
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        problems.add(rel, 1, "the file is empty", f"start with the header row: {' '.join(required)}")
        return
    header_line, header_text = lines[0]
    header = [h.strip() for h in header_text.split("\t")]
    allowed = set(required) | set(optional)
    ok = True
    for name in header:
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed columns: {', '.join(required + optional)}"
            problems.add(rel, header_line, f"unknown column '{name}'", hint)
            ok = False
    for name in required:
        if name not in header:
            problems.add(rel, header_line, f"missing required column '{name}'",
                         f"the header must contain: {', '.join(required)}")
            ok = False
    if len(set(header)) != len(header):
        problems.add(rel, header_line, "a column name appears twice", "keep one of each")
        ok = False
    if not ok:
        return
    for line_no, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) > len(header):
            problems.add(rel, line_no, f"{len(cells)} cells but the header has {len(header)} columns",
                         "check for a stray tab inside a cell")
            continue
        cells += [""] * (len(header) - len(cells))
        yield _Row(rel, line_no, {h: c.strip() for h, c in zip(header, cells)})


def _tables(root: Path, folder: str) -> list[Path]:
    return sorted((root / folder).glob("*.tsv")) if (root / folder).is_dir() else []


class _Resolver:
    """Turns a CURIE or an exact label into the IRI of a defined entity."""

    def __init__(self) -> None:
        self.by_iri: dict[URIRef, str] = {}  # IRI -> label
        self.by_label: dict[str, URIRef] = {}
        self.kind: dict[URIRef, str] = {}  # IRI -> "class" | "object" | "annotation" | "data"

    def define(self, iri: URIRef, label: str, kind: str) -> None:
        self.by_iri[iri] = label
        self.kind[iri] = kind
        if label:
            self.by_label.setdefault(label, iri)

    def resolve(self, ref: str) -> tuple[URIRef | None, str]:
        """Return (IRI, "") or (None, hint)."""
        if CURIE.match(ref) and ref.split(":", 1)[0] in converter().prefix_map:
            iri = URIRef(converter().expand(ref))
            if iri in self.by_iri:
                return iri, ""
            return None, f"'{ref}' is not defined in the templates, properties or import module"
        if ref in self.by_label:
            return self.by_label[ref], ""
        close = difflib.get_close_matches(ref, list(self.by_label), n=3, cutoff=0.6)
        lowered = {label.lower(): label for label in self.by_label}
        if ref.lower() in lowered:
            close = [lowered[ref.lower()]]
        hint = f"closest labels: {', '.join(repr(c) for c in close)}" if close else \
            "use an exact label or a CURIE such as DGS:0000001 or UBERON:0001322"
        return None, f"no term with label or CURIE '{ref}'; {hint}"


def _check_sources(cell: str, known: dict[str, str], file: str, line: int, column: str,
                   problems: _Collector, required: bool = True) -> list[str]:
    sources = _split(cell)
    if not sources and required:
        problems.add(file, line, f"missing {column}",
                     "cite at least one PMID:nnnnnnn or doi:10.xxxx/yyyy listed in ontology/src/references/",
                     column)
    good = []
    for src in sources:
        if not (PMID.match(src) or DOI.match(src)):
            problems.add(file, line, f"malformed source '{src}'",
                         "write PMID:12345678 or doi:10.1234/abcd (lower-case 'doi:', no URL)", column)
        elif _source_key(src) not in known:
            problems.add(file, line, f"source '{src}' is not listed in ontology/src/references/",
                         "add a row with its pmid, doi and title to a references/*.tsv file", column)
        else:
            good.append(src)
    return good


def _source_key(src: str) -> str:
    return src.lower()


def _typed_literal(value: str, datatype: URIRef | None) -> Literal | None:
    if datatype == XSD.decimal:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        if not number.is_finite():
            return None
        # Canonical lexical form (always a '.', never an exponent), so Turtle and RDF/XML agree.
        lexical = format(number, "f")
        return Literal(lexical if "." in lexical else lexical + ".0", datatype=XSD.decimal)
    if datatype == XSD.integer:
        return Literal(int(value), datatype=XSD.integer) if re.fullmatch(r"-?\d+", value) else None
    return Literal(value)


def load_header(path: Path, problems: _Collector, rel: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser types; all mean the same to a curator
        match = re.search(r"line (\d+)", str(exc))
        problems.add(rel, int(match.group(1)) if match else 0,
                     f"Turtle syntax error: {str(exc).splitlines()[0][:200]}",
                     "check the punctuation ('.', ';', ',') at the end of the statement")
    return graph


def load_imports(header: Graph, imports_dir: Path, problems: _Collector, rel: str) -> Graph:
    """Load every ``owl:imports`` of the header from its committed local copy (never the network)."""
    merged = Graph()
    for target in sorted(header.objects(None, OWL.imports), key=str):
        local = imports_dir / (Path(str(target)).stem + ".ttl")
        if not local.is_file():
            problems.add(rel, 0, f"owl:imports <{target}> has no local module {local.name} in ontology/imports/",
                         "run 'dgs-kg imports' to extract it, or remove the import")
            continue
        merged.parse(local, format="turtle")
    return merged


@dataclass(frozen=True)
class VerifiedXref:
    """One row of the verified cross-reference table: the ID's label where it was seen, and how it matches."""

    label: str
    relation: str  # exact | close | broader | narrower
    seen_in: str


def load_xref_table(path: Path, problems: _Collector) -> dict[str, VerifiedXref]:
    """Map each verified external ID to its label, match type and where it was verified."""
    table: dict[str, VerifiedXref] = {}
    if not path.is_file():
        problems.add(str(path), 0, "the verified cross-reference table is missing",
                     "restore ontology/src/reference/xrefs.tsv")
        return table
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row.get("id") and row["id"].strip() not in table:
                table[row["id"].strip()] = VerifiedXref((row.get("exact_label_in_source") or "").strip(),
                                                        (row.get("relation") or "").strip(),
                                                        (row.get("source") or "").strip())
    return table


def load_sources(root: Path) -> OntologySource:
    """Read, validate and resolve ``root`` (an ``ontology/src`` folder).

    Raises :class:`SourceError` listing every problem found; returns a fully resolved source
    otherwise.
    """
    root = root.resolve()
    problems = _Collector()
    if not root.is_dir():
        raise SourceError([SourceProblem(str(root), 0, "source folder not found",
                                         "pass --src pointing at ontology/src")])
    header_path = root / "dgs-edit.ttl"
    rel_header = f"{root.name}/dgs-edit.ttl"
    header = load_header(header_path, problems, rel_header) if header_path.is_file() else Graph()
    if not header_path.is_file():
        problems.add(rel_header, 0, "the ontology header file is missing",
                     "create dgs-edit.ttl with the owl:Ontology header")
    imports = load_imports(header, root.parent / "imports", problems, rel_header)
    xref_table = load_xref_table(root / "reference" / "xrefs.tsv", problems)
    src = OntologySource(root=root, header=header, imports=imports, xref_table=xref_table)

    resolver = _Resolver()
    for node in set(imports.subjects(RDF.type, OWL.Class)):
        if isinstance(node, URIRef):
            resolver.define(node, str(imports.value(node, RDFS.label) or ""), "class")
    for node in set(header.subjects(RDF.type, OWL.Class)):
        if isinstance(node, URIRef) and node not in resolver.by_iri:
            resolver.define(node, str(header.value(node, RDFS.label) or ""), "class")

    _load_references(root, src, problems)
    known_sources = {}
    for work in src.references:
        if work.pmid:
            known_sources[f"pmid:{work.pmid}"] = work.id
        if work.doi:
            known_sources[f"doi:{work.doi.lower()}"] = work.id

    # Pass 1: identities (IDs and labels) of everything defined, so references can point forward.
    seen_ids: dict[str, tuple[str, int]] = {}
    seen_labels: dict[str, tuple[str, int]] = {}
    term_rows: list[_Row] = []
    prop_rows: list[_Row] = []
    for path in [root / "properties.tsv"]:
        if path.is_file():
            prop_rows.extend(_read_table(path, "properties", root, problems))
    for path in _tables(root, "templates"):
        term_rows.extend(_read_table(path, "templates", root, problems))

    def claim(row: _Row, kind: str) -> URIRef | None:
        ident, label = row.cells["id"], row.cells["label"]
        if not ident:
            problems.add(row.file, row.line, "missing id", "give the next free DGS:nnnnnnn ID", "id")
            return None
        if kind == "class" and not DGS_ID.match(ident):
            hint = ("external classes come from the import module (ontology/imports/); reference them "
                    "by CURIE instead of redefining them") if CURIE.match(ident) else \
                "project IDs are DGS: followed by seven digits, e.g. DGS:0000123"
            problems.add(row.file, row.line, f"'{ident}' is not a project term ID", hint, "id")
            return None
        if kind != "class" and not CURIE.match(ident):
            problems.add(row.file, row.line, f"malformed property ID '{ident}'",
                         "use a CURIE such as RO:0002452 or DGS:0000901", "id")
            return None
        if ident.split(":", 1)[0] not in converter().prefix_map:
            problems.add(row.file, row.line, f"unknown prefix in '{ident}'",
                         f"known prefixes: {', '.join(converter().prefix_map)}", "id")
            return None
        if ident in seen_ids:
            f, n = seen_ids[ident]
            problems.add(row.file, row.line, f"duplicate ID {ident} (first defined at {f}:{n})",
                         "every term needs its own ID; take the next free number", "id")
            return None
        seen_ids[ident] = (row.file, row.line)
        if not label:
            problems.add(row.file, row.line, f"{ident} has no label", "every term needs a label", "label")
        elif label != label.strip() or "  " in label or "\t" in label:
            problems.add(row.file, row.line, f"label '{label}' has extra whitespace",
                         "remove leading, trailing or double spaces", "label")
        elif label in seen_labels:
            f, n = seen_labels[label]
            problems.add(row.file, row.line, f"duplicate label '{label}' (first used at {f}:{n})",
                         "labels must be unique; make one more specific or add it as a synonym", "label")
        else:
            seen_labels[label] = (row.file, row.line)
        iri = URIRef(converter().expand(ident))
        if label and label in resolver.by_label and resolver.by_label[label] != iri:
            other = converter().compress(str(resolver.by_label[label])) or str(resolver.by_label[label])
            problems.add(row.file, row.line, f"label '{label}' is already used by {other} in the import module",
                         f"reuse {other} instead of minting a new term", "label")
        resolver.define(iri, label, kind)
        return iri

    prop_iris = [claim(row, (row.cells["type"] or "object").lower()) for row in prop_rows]
    term_iris = [claim(row, "class") for row in term_rows]

    def ref(row: _Row, column: str, value: str, expect: set[str]) -> URIRef | None:
        iri, hint = resolver.resolve(value)
        if iri is None:
            problems.add(row.file, row.line, f"dangling reference in {column}: {hint}", "", column)
            return None
        if resolver.kind[iri] not in expect:
            problems.add(row.file, row.line,
                         f"{column} '{value}' is a {resolver.kind[iri]} but a {' or '.join(sorted(expect))} is needed",
                         "", column)
            return None
        return iri

    # Pass 2: properties.
    for row, iri in zip(prop_rows, prop_iris):
        if iri is None:
            continue
        c = row.cells
        ptype = c["type"].lower()
        if ptype not in PROPERTY_TYPES:
            problems.add(row.file, row.line, f"unknown property type '{c['type']}'",
                         "use object, annotation or data", "type")
            continue
        chars = [x.lower() for x in _split(c.get("characteristics", "").replace(",", "|"))]
        for ch in chars:
            if ch not in CHARACTERISTICS:
                problems.add(row.file, row.line, f"unknown characteristic '{ch}'",
                             f"use one of: {', '.join(CHARACTERISTICS)}", "characteristics")
        parents = [p for p in (ref(row, "parent", v, {ptype}) for v in _split(c.get("parent", ""))) if p]
        rng: URIRef | None = None
        if c.get("range"):
            if ptype == "object":
                rng = ref(row, "range", c["range"], {"class"})
            elif c["range"] in DATATYPES:
                rng = DATATYPES[c["range"]]
            else:
                problems.add(row.file, row.line, f"unknown datatype '{c['range']}'",
                             f"use one of: {', '.join(DATATYPES)}", "range")
        dom = ref(row, "domain", c["domain"], {"class"}) if c.get("domain") else None
        inv = ref(row, "inverse", c["inverse"], {"object"}) if c.get("inverse") else None
        curie = c["id"]
        is_dgs = curie.startswith("DGS:")
        if is_dgs and not c.get("definition"):
            problems.add(row.file, row.line, f"{curie} '{c['label']}' has no definition",
                         "write a one-sentence definition of the relation", "definition")
        sources = _check_sources(c.get("definition_source", ""), known_sources, row.file, row.line,
                                 "definition_source", problems, required=False)
        src.properties.append(Property(iri, curie, c["label"], ptype, parents, dom, rng, chars, inv,
                                       c.get("definition", ""), sources, row.file, row.line))

    annotation_props = {p.label: p for p in src.properties if p.type in ("annotation", "data")}

    # Pass 3: terms.
    for row, iri in zip(term_rows, term_iris):
        if iri is None:
            continue
        c = row.cells
        subsets = _split(c.get("subsets", ""))
        parents = [p for p in (ref(row, "parent", v, {"class"}) for v in _split(c["parent"])) if p]
        if not _split(c["parent"]) and "category" not in subsets:
            problems.add(row.file, row.line, f"{c['id']} '{c['label']}' has no parent",
                         "give the closest parent class, e.g. 'condition' or a Uberon CURIE", "parent")
        if iri in parents:
            problems.add(row.file, row.line, f"{c['id']} is its own parent", "", "parent")
        if not c["definition"]:
            problems.add(row.file, row.line, f"{c['id']} '{c['label']}' has no definition",
                         "write a definition in your own words", "definition")
        sources = _check_sources(c["definition_source"], known_sources, row.file, row.line,
                                 "definition_source", problems)
        synonyms = []
        for raw in _split(c.get("synonyms", "")):
            m = SYNONYM.match(raw)
            if not m or m["scope"] not in SYNONYM_SCOPES or (m["type"] and m["type"] not in SYNONYM_TYPES):
                problems.add(row.file, row.line, f"malformed synonym '{raw}'",
                             "write scope:text, e.g. exact:piriformis muscle syndrome or exact[acronym]:PS @ PMID:12345678; "
                             f"scopes {', '.join(SYNONYM_SCOPES)}; types {', '.join(SYNONYM_TYPES)}",
                             "synonyms")
                continue
            if "@" in m["text"]:
                problems.add(row.file, row.line, f"synonym '{raw}': put a space before the '@' of its sources",
                             "write exact:text @ PMID:12345678", "synonyms")
                continue
            syn_sources: list[str] = []
            if m["sources"] is not None:
                listed = [s for s in re.split(r"[,;\s]+", m["sources"]) if s]
                if listed:
                    syn_sources = _check_sources(MULTI_SEP.join(listed), known_sources, row.file, row.line,
                                                 "synonyms", problems)
                else:
                    problems.add(row.file, row.line, f"synonym '{raw}' has '@' but no source",
                                 "write exact:text @ PMID:12345678 (or doi:10.xxxx/yyyy), or drop the '@'",
                                 "synonyms")
            synonyms.append(Synonym(m["scope"], m["text"].strip(), m["type"] or "", tuple(syn_sources)))
        xrefs = []
        for x in _split(c.get("xrefs", "")):
            if not CURIE.match(x):
                problems.add(row.file, row.line, f"malformed xref '{x}'", "write PREFIX:ID, e.g. MONDO:0043320",
                             "xrefs")
            elif x not in src.xref_table:
                problems.add(row.file, row.line, f"xref {x} is not in the verified table reference/xrefs.tsv",
                             "only verified IDs may be used; verify it in the source ontology and add it there",
                             "xrefs")
            else:
                xrefs.append(x)
        term = Term(iri, c["id"], c["label"], parents, c["definition"], sources, synonyms,
                    xrefs, subsets, c.get("comment", ""), row.file, row.line)
        if c.get("equivalent_to"):
            parsed = _parse_class_expression(c["equivalent_to"], lambda v, kinds: ref(row, "equivalent_to", v, kinds),
                                             row, problems)
            if parsed is not None:
                term.equivalent_genus, term.equivalent_restrictions = parsed
        src.terms.append(term)

    # Pass 4: relationship axioms.
    seen_axioms: dict[tuple[URIRef, URIRef, URIRef], tuple[str, int]] = {}
    for path in _tables(root, "relations"):
        for row in _read_table(path, "relations", root, problems):
            c = row.cells
            s = ref(row, "subject", c["subject"], {"class"}) if c["subject"] else None
            p = ref(row, "relation", c["relation"], {"object"}) if c["relation"] else None
            o = ref(row, "object", c["object"], {"class"}) if c["object"] else None
            for col in ("subject", "relation", "object"):
                if not c[col]:
                    problems.add(row.file, row.line, f"empty {col}", "", col)
            sources = _check_sources(c["source"], known_sources, row.file, row.line, "source", problems)
            quals = _parse_qualifiers(c.get("qualifiers", ""), annotation_props, row, problems)
            if s is None or p is None or o is None:
                continue
            key = (s, p, o)
            if key in seen_axioms:
                f, n = seen_axioms[key]
                problems.add(row.file, row.line, f"duplicate relationship (also at {f}:{n})",
                             "merge the two rows: put both sources in one source cell", "subject")
                continue
            seen_axioms[key] = (row.file, row.line)
            src.relations.append(Relation(s, p, o, sources, quals, c.get("comment", ""), row.file, row.line))

    # Pass 5: data values.
    for path in _tables(root, "values"):
        for row in _read_table(path, "values", root, problems):
            c = row.cells
            s = ref(row, "subject", c["subject"], {"class"}) if c["subject"] else None
            prop = annotation_props.get(c["property"])
            if prop is None:
                close = difflib.get_close_matches(c["property"], list(annotation_props), n=2)
                problems.add(row.file, row.line, f"unknown value property '{c['property']}'",
                             f"closest: {', '.join(close)}" if close else
                             "declare it as an annotation property in properties.tsv", "property")
            sources = _check_sources(c["source"], known_sources, row.file, row.line, "source", problems)
            if s is None or prop is None:
                continue
            lit = _typed_literal(c["value"], prop.range)
            if lit is None or not c["value"]:
                problems.add(row.file, row.line, f"value '{c['value']}' is not a valid {prop.range}",
                             "write a plain number such as 12.5 (no units, no %)", "value")
                continue
            src.values.append(Value(s, prop.iri, lit, sources, c.get("comment", ""), row.file, row.line))

    if problems.problems:
        raise SourceError(problems.problems)
    return src


_TOKEN = re.compile(r"\s*(?:'(?P<quoted>[^']+)'|(?P<word>[^\s']+))")


def _parse_class_expression(text: str, resolve, row: _Row, problems: _Collector
                            ) -> tuple[list[URIRef], list[tuple[URIRef, URIRef]]] | None:
    """Parse a Manchester-like intersection: ``'genus' and 'relation' some 'filler' and ...``.

    Names are quoted labels or CURIEs; only ``and`` and ``some`` are understood, which covers the
    defined classes dgs-kg needs (e.g. variants grouped by what entraps the nerve).
    """
    tokens: list[tuple[str, bool]] = []
    pos = 0
    while pos < len(text.rstrip()):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        tokens.append((m["quoted"], True) if m["quoted"] else (m["word"], False))
        pos = m.end()
    operands: list[list[tuple[str, bool]]] = [[]]
    for tok in tokens:
        if tok == ("and", False):
            operands.append([])
        else:
            operands[-1].append(tok)
    genus: list[URIRef] = []
    restrictions: list[tuple[URIRef, URIRef]] = []
    hint = "write e.g. 'deep gluteal syndrome' and 'has entrapping structure' some 'muscle organ'"
    for op in operands:
        if len(op) == 1:
            iri = resolve(op[0][0], {"class"})
            if iri is None:
                return None
            genus.append(iri)
        elif len(op) == 3 and op[1] == ("some", False):
            prop, filler = resolve(op[0][0], {"object"}), resolve(op[2][0], {"class"})
            if prop is None or filler is None:
                return None
            restrictions.append((prop, filler))
        else:
            problems.add(row.file, row.line, f"cannot read class expression '{text}'", hint, "equivalent_to")
            return None
    if not genus and not restrictions:
        problems.add(row.file, row.line, "empty class expression", hint, "equivalent_to")
        return None
    return genus, restrictions


def _parse_qualifiers(cell: str, props: dict[str, Property], row: _Row,
                      problems: _Collector) -> list[tuple[URIRef, Literal]]:
    out: list[tuple[URIRef, Literal]] = []
    for part in (p.strip() for p in cell.split(";") if p.strip()):
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        prop = props.get(name)
        if not sep or prop is None:
            close = difflib.get_close_matches(name, list(props), n=2)
            problems.add(row.file, row.line, f"unknown qualifier '{part}'",
                         ("write name=value; " + (f"closest: {', '.join(close)}" if close else
                                                  "declare it in properties.tsv")), "qualifiers")
            continue
        lit = _typed_literal(value, prop.range)
        if lit is None or not value:
            problems.add(row.file, row.line, f"qualifier {name} value '{value}' is not a valid {prop.range}",
                         "write a plain number such as 0.88", "qualifiers")
            continue
        out.append((prop.iri, lit))
    return out


def _load_references(root: Path, src: OntologySource, problems: _Collector) -> None:
    seen: dict[str, Reference] = {}
    for path in _tables(root, "references"):
        for row in _read_table(path, "references", root, problems):
            c = row.cells
            pmid, doi = c["pmid"], c["doi"]
            if pmid and not PMID.match(f"PMID:{pmid}"):
                problems.add(row.file, row.line, f"malformed PMID '{pmid}'", "digits only, e.g. 27011826", "pmid")
                continue
            if doi and not DOI.match(f"doi:{doi}"):
                problems.add(row.file, row.line, f"malformed DOI '{doi}'",
                             "write the bare DOI starting with 10., e.g. 10.1093/jhps/hnv029", "doi")
                continue
            if not pmid and not doi:
                problems.add(row.file, row.line, "a reference needs a pmid or a doi",
                             "look the work up on PubMed or the publisher's page", "pmid")
                continue
            expected = f"PMID:{pmid}" if pmid else f"doi:{doi}"
            if c["id"] != expected:
                problems.add(row.file, row.line, f"reference id '{c['id']}' should be '{expected}'",
                             "the id is PMID:<pmid> when there is a PMID, else doi:<doi>", "id")
                continue
            if not c["title"]:
                problems.add(row.file, row.line, f"{c['id']} has no title", "copy the title as published", "title")
            ref = Reference(c["id"], pmid, doi, c["title"], c.get("authors", ""), c.get("year", ""),
                            c.get("journal", ""), row.file, row.line)
            prev = seen.get(ref.id)
            if prev is not None:  # the same work cited from two modules: the rows must agree exactly
                fields = ("pmid", "title", "authors", "year", "journal")
                differ = [f for f in fields if getattr(prev, f) != getattr(ref, f)]
                if prev.doi.lower() != ref.doi.lower():
                    differ.insert(1, "doi")
                if differ:
                    problems.add(row.file, row.line,
                                 f"{ref.id} is listed differently at {prev.file}:{prev.line} ({', '.join(differ)})",
                                 "keep one row, or make both rows identical", differ[0])
                continue
            seen[ref.id] = ref
            src.references.append(ref)
