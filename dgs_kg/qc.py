"""Quality control in the spirit of ROBOT ``report``: SPARQL rules, levels, and a readable report.

A rule is one SPARQL SELECT file; every returned row is a defect. The file starts with comment
lines naming the rule (``# id:``), its level (``# level: ERROR|WARN|INFO``) and what it checks
(``# description:``). Rows bind ``?entity`` (the culprit, an IRI), and optionally ``?property`` and
``?value``, like the Subject/Property/Value columns of a ROBOT report. The packaged rules live in
``dgs_kg/rules``; users add their own with ``--rules DIR``. All queries run through
:mod:`dgs_kg.engines` (Oxigraph), over the ontology plus the user's files.
"""
from __future__ import annotations

import csv
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .constants import DISCLAIMER
from .errors import ReasonerError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .engines import OxigraphEngine, QueryEngine
    from .explain import ExplainedAxiom, ReasonerReport

RULES_DIR = Path(__file__).resolve().parent / "rules"
VERIFIED_XREFS = RULES_DIR / "verified-xrefs.tsv"
#: Subject and predicate under which the verified xref IDs are added to the store for the rules.
VERIFIED_XREF_SUBJECT = "urn:dgs-kg:qc:verified-xrefs"
VERIFIED_XREF_PREDICATE = "urn:dgs-kg:qc:verifiedXref"
LEVELS = ("ERROR", "WARN", "INFO")
RANK = {"ERROR": 3, "WARN": 2, "INFO": 1}


@dataclass(frozen=True)
class Rule:
    """One QC rule: a SPARQL SELECT whose rows are defects."""

    id: str
    level: str
    description: str
    query: str
    path: Path


@dataclass
class Finding:
    """One defect, shaped like a row of a ROBOT report plus the subject's label."""

    level: str
    rule: str
    subject: str
    subject_label: str = ""
    property: str = ""
    value: str = ""
    value_label: str = ""
    detail: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


_HEADER = re.compile(r"^#\s*(id|level|description)\s*:\s*(.*?)\s*$", re.IGNORECASE)


def parse_rule(path: Path) -> Rule:
    """Read one rule file; a missing or malformed header is a usage error naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read rule: {exc}") from exc
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("#"):
            break
        m = _HEADER.match(line.strip())
        if m:
            meta[m.group(1).lower()] = m.group(2)
    for key in ("id", "level", "description"):
        if not meta.get(key):
            raise UsageError(f"{path}:1: rule has no '# {key}:' header line "
                             "(hint: start the file with '# id: NAME', '# level: ERROR|WARN|INFO', "
                             "'# description: TEXT')")
    level = meta["level"].upper()
    if level not in LEVELS:
        raise UsageError(f"{path}: level '{meta['level']}' is not one of ERROR, WARN, INFO")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", meta["id"]):
        raise UsageError(f"{path}: rule id '{meta['id']}' may hold only letters, digits, '_', '.', '-'")
    if not re.search(r"\bSELECT\b", text, re.IGNORECASE):
        raise UsageError(f"{path}: a rule must be a SPARQL SELECT query (a returned row is a defect)")
    return Rule(meta["id"], level, meta["description"], text, path)


def load_rules(extra_dirs: list[Path] | None = None, builtin: bool = True) -> list[Rule]:
    """The packaged rules plus every ``*.rq`` in ``extra_dirs``; rule ids must be unique."""
    paths = sorted(RULES_DIR.glob("*.rq")) if builtin else []
    for folder in extra_dirs or []:
        if not folder.is_dir():
            raise UsageError(f"{folder}: --rules needs a folder of .rq files")
        found = sorted(folder.glob("*.rq"))
        if not found:
            raise UsageError(f"{folder}: no .rq rule files in this folder")
        paths.extend(found)
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    for path in paths:
        rule = parse_rule(path)
        if rule.id in seen:
            raise UsageError(f"{path}: rule id '{rule.id}' is already used by {seen[rule.id]}")
        seen[rule.id] = path
        rules.append(rule)
    return rules


def read_xref_table(path: Path) -> list[tuple[str, str]]:
    """(id, ontology) pairs from ontology/src/reference/xrefs.tsv or the packaged copy."""
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader((line for line in fh if line.strip() and not line.startswith("#")),
                                  delimiter="\t"):
            xid = (row.get("id") or "").strip()
            if xid:
                rows.append((xid, (row.get("ontology") or xid.split(":")[0]).strip()))
    return sorted(set(rows))


def write_verified_xrefs(src_table: Path, dest: Path = VERIFIED_XREFS) -> int:
    """Regenerate the packaged copy of the verified xref IDs (the wheel cannot read ontology/src)."""
    rows = read_xref_table(src_table)
    lines = ["# Generated from ontology/src/reference/xrefs.tsv by "
             "'python -m dgs_kg.qc --refresh-xrefs'; do not edit by hand.", "id\tontology"]
    lines += [f"{xid}\t{ont}" for xid, ont in rows]
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


def _xrefs_in(path: Path) -> set[str]:
    """Class xrefs present in a built ontology file (the build admits only verified ones)."""
    from .engines import OxigraphEngine

    _, rows = OxigraphEngine([path]).select(
        "PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>\n"
        "SELECT DISTINCT ?x WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> ; oboInOwl:hasDbXref ?x }")
    return {row["x"].value for row in rows}


def verified_xref_ids(bundled: Path | None = None) -> set[str]:
    """Verified xref IDs: the packaged copy, plus the checkout's table when running from source;
    from a wheel, also the xrefs of the bundled ontology ``bundled`` (so a stale copy cannot fail it)."""
    from .constants import checkout_root

    ids = {xid for xid, _ in read_xref_table(VERIFIED_XREFS)} if VERIFIED_XREFS.is_file() else set()
    root = checkout_root()
    if root and (root / "ontology" / "src" / "reference" / "xrefs.tsv").is_file():
        ids |= {xid for xid, _ in read_xref_table(root / "ontology" / "src" / "reference" / "xrefs.tsv")}
    elif bundled is not None:
        ids |= _xrefs_in(bundled)
    return ids


def _nt_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def support_file(folder: Path, bundled: Path | None = None) -> Path:
    """An N-Triples file with the verified xref IDs, loaded beside the ontology for the rules."""
    path = folder / "qc-support.nt"
    with path.open("w", encoding="utf-8") as fh:
        for xid in sorted(verified_xref_ids(bundled)):
            fh.write(f"<{VERIFIED_XREF_SUBJECT}> <{VERIFIED_XREF_PREDICATE}> {_nt_literal(xid)} .\n")
    return path


def make_engine(paths: list[Path], bundled: Path | None = None) -> OxigraphEngine:
    """An Oxigraph engine over ``paths`` plus the QC support triples."""
    from .engines import OxigraphEngine

    with tempfile.TemporaryDirectory(prefix="dgs-kg-qc-") as tmp:
        return OxigraphEngine(list(paths) + [support_file(Path(tmp), bundled)])


def labels_for(engine: QueryEngine, iris: set[str]) -> dict[str, str]:
    """rdfs:label of each IRI (the first in sorted order when there are several)."""
    out: dict[str, str] = {}
    todo = sorted(i for i in iris if ":" in i and not re.search(r'[\s<>"{}|^`\\]', i))
    for start in range(0, len(todo), 400):
        chunk = todo[start:start + 400]
        values = " ".join(f"<{iri}>" for iri in chunk)
        _, rows = engine.select("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                                f"SELECT ?e ?l WHERE {{ VALUES ?e {{ {values} }} ?e rdfs:label ?l }}")
        for row in rows:
            iri, lab = row["e"].value, row["l"].value
            if iri not in out or lab < out[iri]:
                out[iri] = lab
    return out


def run_rules(engine: QueryEngine, rules: list[Rule]) -> list[Finding]:
    """Run every rule; each returned row becomes a :class:`Finding` with labels filled in."""
    findings: list[Finding] = []
    for rule in rules:
        try:
            variables, rows = engine.select(rule.query)
        except UsageError as exc:
            raise UsageError(f"{rule.path}: {exc}") from exc
        if "entity" not in variables:
            raise UsageError(f"{rule.path}: the SELECT must bind ?entity (the culprit); "
                             f"it binds {', '.join('?' + v for v in variables) or 'nothing'}")
        for row in rows:
            entity = row.get("entity")
            prop = row.get("property")
            value = row.get("value")
            findings.append(Finding(
                rule.level, rule.id,
                subject=entity.value if entity is not None else "",
                property=prop.value if prop is not None else "",
                value=value.value if value is not None else "",
                value_label="iri" if value is not None and value.kind == "iri" else "",
            ))
    iris = {f.subject for f in findings} | {f.value for f in findings if f.value_label == "iri"}
    labels = labels_for(engine, iris)
    for f in findings:
        f.subject_label = labels.get(f.subject, "")
        f.value_label = labels.get(f.value, "") if f.value_label == "iri" else ""
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by rule, subject and value, so reports are stable."""
    unique = {(f.level, f.rule, f.subject, f.property, f.value): f for f in findings}
    return sorted(unique.values(), key=lambda f: (-RANK[f.level], f.rule, f.subject_label or f.subject,
                                                  f.subject, f.property, f.value))


# --------------------------------------------------------------------------------------------
# dgs-kg check: reasoning + explanations + profile + rules, in one report

FORMATS = ("table", "tsv", "json", "md")
CASE_NS = "https://w3id.org/dgs-kg/case/"
ROBOT_COLUMNS = ("Level", "Rule Name", "Subject", "Property", "Value", "Subject Label", "Value Label", "Detail")


@dataclass
class CheckReport:
    """The outcome of ``dgs-kg check``: reasoner results, rule findings, timings."""

    files: list[str]
    findings: list[Finding]
    reasoner: ReasonerReport | None = None  # None with --no-reasoner
    rules: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {lvl: sum(1 for f in self.findings if f.level == lvl) for lvl in LEVELS}

    def fails(self, fail_on: str) -> bool:
        """True when anything at or above ``fail_on`` was found."""
        return any(RANK[f.level] >= RANK[fail_on.upper()] for f in self.findings)


def _axiom_line(ax: ExplainedAxiom) -> str:
    where = []
    if ax.sources:
        where.append("source: " + ", ".join(ax.sources))
    if ax.file:
        where.append("from " + ax.file)
    return ax.words + (f"  [{'; '.join(where)}]" if where else "")


def reasoner_findings(report: ReasonerReport) -> list[Finding]:
    """Turn HermiT's results into report rows (ERROR for logic errors, INFO for inferences)."""
    r = report
    out: list[Finding] = []
    just = {j.target: j for j in r.justifications}
    if r.error:
        out.append(Finding("ERROR", "reasoner_error", "", "", "", r.error))
    if r.reasoned and not r.consistent:
        j = just.get("inconsistency")
        out.append(Finding("ERROR", "inconsistent_ontology", "", "the ontology plus the given files", "",
                           "HermiT: inconsistent", detail=[_axiom_line(a) for a in j.axioms] if j else []))
    for iri, label in r.unsatisfiable:
        j = just.get(iri)
        failed = r.explanation_errors.get(iri)
        out.append(Finding("ERROR", "unsatisfiable_class", iri, label, "http://www.w3.org/2000/01/rdf-schema#subClassOf",
                           "http://www.w3.org/2002/07/owl#Nothing", "Nothing",
                           detail=[_axiom_line(a) for a in j.axioms] if j else
                           ([f"(the explanation failed: {failed})"] if failed else [])))
    groups: dict[str, list[str]] = {}
    for violation in r.profile_violations:
        groups.setdefault(violation.split(" [", 1)[0], []).append(violation)
    for kind, items in groups.items():  # one row per kind of violation and entity, not per axiom
        m = re.search(r"<([^<>\s]+)>", kind)
        n = len(items)
        out.append(Finding("ERROR", "owl2_dl_profile_violation", m.group(1) if m else "", "", "",
                           kind + (f" ({n} axioms)" if n > 1 else ""), detail=items[:3]))
    for cls, clabel, sup, slabel in r.inferred:
        out.append(Finding("INFO", "inferred_superclass", cls, clabel,
                           "http://www.w3.org/2000/01/rdf-schema#subClassOf", sup, slabel))
    for a, alabel, b, blabel in r.equivalent:
        out.append(Finding("INFO", "inferred_equivalence", a, alabel,
                           "http://www.w3.org/2002/07/owl#equivalentClass", b, blabel))
    return out


def default_ontology() -> Path:
    """The bundled full ontology in RDF/XML (both Oxigraph and the OWL API read it)."""
    from .constants import data_dir
    from .errors import ArtefactError

    path = data_dir() / "dgs.owl"
    if not path.is_file() or path.stat().st_size == 0:
        raise ArtefactError(f"{path} is missing or empty; run 'dgs-kg build' first or pass --ontology")
    return path


MAX_EXPLANATIONS = 20


def run_check(files: list[Path], ontology: Path | None = None, rules_dirs: list[Path] | None = None,
              reasoner: bool = True, max_explanations: int = MAX_EXPLANATIONS) -> CheckReport:
    """Check the ontology plus ``files``: HermiT with explanations, OWL 2 DL profile, QC rules."""
    import time

    bundled = None if ontology else default_ontology()
    ontology = ontology or bundled
    assert ontology is not None
    paths = [ontology] + list(files)
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    rules = load_rules(list(rules_dirs or []))
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    engine = make_engine(paths, bundled)  # parses every file: syntax errors are reported here, with the file
    t1 = time.perf_counter()
    findings = run_rules(engine, rules)
    t2 = time.perf_counter()
    seconds["load"], seconds["rules"] = t1 - t0, t2 - t1
    report = None
    if reasoner:
        from .explain import declarations, explain

        try:
            report = explain(paths, max_explanations=max_explanations, declare=declarations(engine))
        except ReasonerError as exc:
            raise ReasonerError(f"{exc} (or skip reasoning: dgs-kg check --no-reasoner)") from exc
        findings += reasoner_findings(report)
        seconds["hermit"] = time.perf_counter() - t2
    seconds["total"] = time.perf_counter() - t0
    return CheckReport([str(p) for p in paths], sort_findings(findings), report, len(rules), seconds)


def curie(iri: str) -> str:
    """A CURIE for known prefixes, else the IRI itself."""
    if not iri or "://" not in iri and not iri.startswith("urn:"):
        return iri
    from .constants import converter

    if iri.startswith(CASE_NS):
        return "case:" + iri[len(CASE_NS):]
    try:
        return converter().compress(iri) or iri
    except Exception:  # curies raises on odd input; the IRI is still a fine display
        return iri


def _name(iri: str, label: str) -> str:
    if label and iri:
        return f"'{label}' ({curie(iri)})"
    return label or curie(iri)


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def _reasoning_lines(report: CheckReport, md: bool = False) -> list[str]:
    r = report.reasoner
    bullet = "  - " if md else "  "
    if r is None:
        return ["Reasoning: skipped (--no-reasoner); no HermiT, no OWL 2 DL profile check."]
    lines = []
    if r.error:
        lines.append(f"Reasoning (HermiT): could not run: {r.error}")
    elif not r.consistent:
        lines.append("Reasoning (HermiT): INCONSISTENT: nothing can be concluded until this is fixed.")
    else:
        n = len(r.unsatisfiable)
        lines.append(f"Reasoning (HermiT): consistent; {n} unsatisfiable class{'es' if n != 1 else ''}; "
                     f"{len(r.inferred)} inferred superclass link{'s' if len(r.inferred) != 1 else ''} "
                     "not asserted.")
    for f in report.findings:
        if f.rule in ("inconsistent_ontology", "unsatisfiable_class"):
            what = "inconsistency" if f.rule == "inconsistent_ontology" else f"unsatisfiable: {_name(f.subject, f.subject_label)}"
            if not f.detail:
                lines.append(f"{bullet}{what} (not explained: only the first {MAX_EXPLANATIONS} are)")
                continue
            lines.append(f"{bullet}{what}; minimal justification ({len(f.detail)} axioms):")
            for n, line in enumerate(f.detail, 1):
                lines.append(f"    {n}. {line}")
    if r.inferred:
        lines.append("Inferred hierarchy changes (HermiT places these classes under a parent that is not asserted):")
        for cls, cl, sup, sl in r.inferred:
            lines.append(f"{bullet}{_name(cls, cl)} is inferred to be a {_name(sup, sl)}")
    for a, al, b, bl in r.equivalent:
        lines.append(f"{bullet}{_name(a, al)} is inferred equivalent to {_name(b, bl)}")
    if r.profile_checked:
        v = len(r.profile_violations)
        lines.append("OWL 2 DL profile: " + ("in profile." if v == 0 else f"{v} violation{'s' if v != 1 else ''}."))
    return lines


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _rows(report: CheckReport, limit: int = 10_000) -> list[list[str]]:
    rows = []
    for f in report.findings:
        if f.rule in ("inferred_superclass", "inferred_equivalence"):
            continue  # listed in the reasoning section
        value = _name(f.value, f.value_label) if f.value_label else (curie(f.value) if "://" in f.value else f.value)
        rows.append([f.level, f.rule, _name(f.subject, f.subject_label), curie(f.property), _short(_flat(value), limit)])
    return rows


def render_check(report: CheckReport, fmt: str = "table", fail_on: str = "ERROR") -> str:
    """The report as a table, ROBOT-style TSV, JSON or Markdown (ending with a newline)."""
    counts = report.counts()
    summary = ", ".join(f"{counts[lvl]} {lvl}" for lvl in LEVELS)
    verdict = "FAIL" if report.fails(fail_on) else "PASS"
    if fmt == "json":
        import json

        doc = {"disclaimer": DISCLAIMER, "files": report.files, "rules": report.rules,
               "fail_on": fail_on, "result": verdict, "counts": counts,
               "reasoner": report.reasoner.as_dict() if report.reasoner is not None else None,
               "findings": [f.as_dict() for f in report.findings],
               "seconds": {k: round(v, 3) for k, v in report.seconds.items()}}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "tsv":
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
        writer.writerow(ROBOT_COLUMNS)
        for f in report.findings:
            writer.writerow([f.level, f.rule, curie(f.subject), curie(f.property),
                             curie(f.value) if "://" in f.value else _flat(f.value),
                             f.subject_label, f.value_label, " || ".join(f.detail)])
        return buf.getvalue()
    from .output import markdown_table, text_table

    files = ", ".join(Path(p).name for p in report.files)
    timing = f"{report.seconds.get('total', 0):.1f} s"
    rows = _rows(report, 100 if fmt == "table" else 10_000)
    headers = ["level", "rule", "subject", "property", "value"]
    if fmt == "md":
        reasoning = [ln if ln.startswith(" ") else "- " + ln for ln in _reasoning_lines(report, md=True)]
        parts = ["# dgs-kg check", "", f"> {DISCLAIMER}", "", f"Checked: {files} ({report.rules} rules, {timing}).", "",
                 "## Reasoning", ""] + reasoning + ["", "## QC report", ""]
        parts.append(markdown_table(headers, rows) if rows else "_no findings_")
        parts += ["", f"**{verdict}** (fail on {fail_on}): {summary}.", ""]
        return "\n".join(parts)
    if fmt == "table":
        parts = [f"dgs-kg check: {files} ({report.rules} rules, {timing})", ""]
        parts += _reasoning_lines(report) + [""]
        if rows:
            parts.append(text_table(headers, rows, max_width=[5, 36, 46, 24, 56]))
        else:
            parts.append("QC rules: no findings.")
        parts += ["", f"{verdict} (fail on {fail_on}): {summary}.", DISCLAIMER, ""]
        return "\n".join(parts)
    raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")


# --------------------------------------------------------------------------------------------
# dgs-kg validate: SHACL shapes for case data

SHAPES_DIR = Path(__file__).resolve().parent / "shapes"
SH = "http://www.w3.org/ns/shacl#"


@dataclass
class Violation:
    """One SHACL result, with the focus node's label and the path as a CURIE."""

    severity: str
    focus: str
    focus_label: str
    path: str
    value: str
    value_label: str
    message: str
    shape: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _parse_graph(path: Path, graph: object) -> None:
    """Add the triples of ``path`` to an rdflib graph, parsed by pyoxigraph (several times faster)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    from .engines import _rdf_format_for

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    fmt = {"turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML, "nt": ox.RdfFormat.N_TRIPLES,
           "n3": ox.RdfFormat.N3, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
           "json-ld": ox.RdfFormat.JSON_LD}[_rdf_format_for(path)]
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    lang_string = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
    cache: dict[object, object] = {}

    def term(t: object) -> object:
        hit = cache.get(t)
        if hit is not None:
            return hit
        if isinstance(t, ox.NamedNode):
            out: object = URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            out = BNode(t.value)
        else:
            dt = t.datatype.value if t.datatype else ""  # type: ignore[attr-defined]
            out = Literal(t.value, lang=t.language or None,  # type: ignore[attr-defined]
                          datatype=None if dt in ("", xsd_string, lang_string) else URIRef(dt))
        cache[t] = out
        return out

    try:
        for quad in ox.parse(path=str(path), format=fmt):
            graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))  # type: ignore[attr-defined]
    except (SyntaxError, ValueError) as exc:
        raise UsageError(f"{path}: not valid RDF: {_flat(str(exc))[:200]}") from exc
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def validate_data(data: list[Path], ontology: Path | None = None,
                  shapes: list[Path] | None = None) -> list[Violation]:
    """Validate case data against the SHACL shapes, with the ontology loaded beside the data."""
    from pyshacl import validate
    from rdflib import RDFS, Graph, Literal, URIRef
    from rdflib.term import Node

    data_graph = Graph()
    for path in data:
        _parse_graph(path, data_graph)
    ont_graph = Graph()
    _parse_graph(ontology or default_ontology(), ont_graph)
    shapes_graph = Graph()
    for path in shapes or sorted(SHAPES_DIR.glob("*.ttl")):
        _parse_graph(path, shapes_graph)
    _conforms, results, _ = validate(data_graph, shacl_graph=shapes_graph, ont_graph=ont_graph,
                                    inference="none", advanced=False, allow_warnings=True)
    sh = lambda name: URIRef(SH + name)  # noqa: E731

    def label(node: Node | None) -> str:
        for g in (data_graph, ont_graph):
            lab = g.value(node, RDFS.label)
            if lab is not None:
                return str(lab)
        return ""

    def path_text(node: Node | None) -> str:
        if isinstance(node, URIRef):
            return curie(str(node))
        inner = results.value(node, sh("zeroOrMorePath"))
        return f"{path_text(inner)}*" if inner is not None else str(node)

    out = []
    for res in results.objects(None, sh("result")):  # top-level results; nested sh:detail ones are not repeated
        focus = results.value(res, sh("focusNode"))
        value = results.value(res, sh("value"))
        path = results.value(res, sh("resultPath"))
        severity = str(results.value(res, sh("resultSeverity")) or "").rsplit("#", 1)[-1]
        message = results.value(res, sh("resultMessage"))
        shape = results.value(res, sh("sourceShape"))
        out.append(Violation(
            severity, str(focus), label(focus), path_text(path) if path is not None else "",
            str(value) if value is not None else "",
            label(value) if isinstance(value, URIRef) else "",
            str(message) if isinstance(message, Literal) else "",
            curie(str(shape)) if isinstance(shape, URIRef) else ""))
    out.sort(key=lambda v: (v.severity != "Violation", v.focus_label or v.focus, v.path, v.value))
    return out


def render_violations(violations: list[Violation], files: list[Path], fmt: str = "table") -> str:
    """SHACL results as a table, TSV, JSON or Markdown."""
    n = sum(1 for v in violations if v.severity == "Violation")
    names = ", ".join(p.name for p in files)
    if fmt == "json":
        import json

        return json.dumps({"disclaimer": DISCLAIMER, "files": [str(p) for p in files], "conforms": n == 0,
                           "results": [v.as_dict() for v in violations]}, indent=2, ensure_ascii=False) + "\n"
    rows = [[v.severity, _name(v.focus, v.focus_label), v.path,
             _name(v.value, v.value_label) if v.value_label else curie(v.value), _flat(v.message)]
            for v in violations]
    headers = ["severity", "focus node", "path", "value", "message"]
    if fmt == "tsv":
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
        writer.writerow(["Severity", "Focus Node", "Focus Label", "Path", "Value", "Value Label", "Message"])
        for v in violations:
            writer.writerow([v.severity, curie(v.focus), v.focus_label, v.path, curie(v.value), v.value_label,
                             _flat(v.message)])
        return buf.getvalue()
    from .output import markdown_table, text_table

    verdict = "conforms" if n == 0 else f"{n} violation{'s' if n != 1 else ''}"
    if fmt == "md":
        body = markdown_table(headers, rows) if rows else "_no results_"
        return f"# dgs-kg validate: {names}\n\n> {DISCLAIMER}\n\n{body}\n\n**{verdict}**\n"
    if fmt == "table":
        body = (text_table(headers, rows, max_width=[9, 60, 22, 40, 60]) + "\n\n") if rows else ""
        return f"dgs-kg validate: {names}\n\n{body}{verdict}. {DISCLAIMER}\n"
    raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")


def main(argv: list[str] | None = None) -> int:
    """``python -m dgs_kg.qc --refresh-xrefs``: regenerate the packaged verified-xref list."""
    import sys

    from .constants import checkout_root

    args = sys.argv[1:] if argv is None else argv
    if args != ["--refresh-xrefs"]:
        print("usage: python -m dgs_kg.qc --refresh-xrefs", file=sys.stderr)
        return 2
    root = checkout_root()
    if root is None:
        print("error: no source checkout (ontology/src) to read xrefs.tsv from", file=sys.stderr)
        return 2
    n = write_verified_xrefs(root / "ontology" / "src" / "reference" / "xrefs.tsv")
    print(f"wrote {VERIFIED_XREFS} ({n} verified xrefs)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
