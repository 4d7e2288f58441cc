"""Turn what a person types (label, synonym, CURIE or IRI) into one term IRI; search terms.

The index is read through the engine with one SPARQL query, so resolution works the same on the
bundled artefact and on a remote endpoint. Unknown or ambiguous names are errors that list the
closest matches, never a silent guess.
"""
from __future__ import annotations

from .constants import PREFIX_MAP
from .errors import UsageError, shown
from .records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .engines import QueryEngine

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
IAO_DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115"
SCOPES = {OIO + "hasExactSynonym": "exact", OIO + "hasRelatedSynonym": "related",
          OIO + "hasBroadSynonym": "broad", OIO + "hasNarrowSynonym": "narrow"}

_INDEX_QUERY = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>
SELECT ?s ?p ?o WHERE {
  VALUES ?p { rdfs:label oboInOwl:hasExactSynonym oboInOwl:hasRelatedSynonym oboInOwl:hasBroadSynonym
              oboInOwl:hasNarrowSynonym IAO:0000115 }
  ?s a owl:Class ; ?p ?o .
  FILTER(isIRI(?s))
}"""


class SearchHit(NamedTuple):
    curie: str
    label: str
    matched: str
    field: str
    score: float


def expand(text: str) -> str | None:
    """The IRI named by ``<iri>``, ``http(s)://...`` or a CURIE with a known prefix, else None."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://")):
        return text
    prefix, sep, local = text.partition(":")
    if sep and local and prefix in PREFIX_MAP and " " not in text:
        return PREFIX_MAP[prefix] + local
    if sep and local and prefix.upper() in PREFIX_MAP and " " not in text:
        return PREFIX_MAP[prefix.upper()] + local
    return None


def known_iri(engine: "QueryEngine", text: str) -> str | None:
    """The IRI named by a CURIE or IRI when the ontology has a labelled class there, else None."""
    iri = expand(text)
    if iri is None or any(c in iri for c in '<>" {}|^`\\'):
        return None
    ask = (f"PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
           f"ASK {{ <{iri}> a owl:Class ; rdfs:label ?l }}")
    return iri if engine.ask(ask) else None


_MATCH_QUERY = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
SELECT ?s ?p ?o WHERE {
  VALUES ?p { rdfs:label oboInOwl:hasExactSynonym oboInOwl:hasRelatedSynonym oboInOwl:hasBroadSynonym
              oboInOwl:hasNarrowSynonym }
  ?s a owl:Class ; ?p ?o .
  FILTER(isIRI(?s) && LCASE(STR(?o)) = LCASE(NEEDLE))
}"""


def quick_resolve(engine: "QueryEngine", text: str) -> str | None:
    """The IRI ``text`` names when one small query settles it, else None (then build the full index).

    Fetches only the labels and synonyms equal to ``text`` (ignoring case) and applies the same
    rules as :meth:`TermIndex.resolve`; unknown and ambiguous names return None so the full index
    gives the error with its suggestions. Limited to ASCII text, where SPARQL's LCASE and Python's
    casefold agree.
    """
    raw = text.strip()
    if not raw:
        return None
    if expand(raw) is not None:
        return known_iri(engine, raw)
    if not raw.isascii():
        return None
    from .engines import literal
    from .queries import term_syntax

    _, rows = engine.select(_MATCH_QUERY.replace("NEEDLE", term_syntax(literal(raw))))
    try:
        return TermIndex([(r["s"].value, r["p"].value, r["o"].value) for r in rows]).resolve(raw)
    except UsageError:
        return None


class TermIndex:
    """Labels, synonyms and definitions of every named class, for resolution and search."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.labels: dict[str, str] = {}  # iri -> label
        self.definitions: dict[str, str] = {}
        self.synonyms: dict[str, list[tuple[str, str]]] = {}  # iri -> [(scope, text)]
        for s, p, o in rows:
            if p == RDFS_LABEL:
                self.labels.setdefault(s, o)
            elif p == IAO_DEFINITION:
                self.definitions.setdefault(s, o)
            elif p in SCOPES:
                self.synonyms.setdefault(s, []).append((SCOPES[p], o))
        self.by_label: dict[str, set[str]] = {}
        for iri, label in self.labels.items():
            self.by_label.setdefault(label.casefold(), set()).add(iri)
        self.by_exact: dict[str, set[str]] = {}
        self.by_other: dict[str, set[str]] = {}
        for iri, syns in self.synonyms.items():
            for scope, text in syns:
                target = self.by_exact if scope == "exact" else self.by_other
                target.setdefault(text.casefold(), set()).add(iri)

    @classmethod
    def from_engine(cls, engine: "QueryEngine") -> "TermIndex":
        _, rows = engine.select(_INDEX_QUERY)
        return cls([(r["s"].value, r["p"].value, r["o"].value) for r in rows if "o" in r])

    def name(self, iri: str) -> str:
        """``label (CURIE)`` for messages."""
        from .queries import compact

        label = self.labels.get(iri)
        return f"'{label}' ({compact(iri)})" if label else compact(iri)

    def suggestions(self, text: str, n: int = 5) -> list[str]:
        """The closest labels and synonyms to ``text``, as ``'label' (CURIE)``."""
        names: dict[str, str] = {}
        for iri, label in self.labels.items():
            names.setdefault(label.casefold(), iri)
        for iri, syns in self.synonyms.items():
            for _, syn in syns:
                names.setdefault(syn.casefold(), iri)
        import difflib

        close = difflib.get_close_matches(text.casefold(), list(names), n=n * 2, cutoff=0.5)
        needle = text.casefold()
        if len(needle) >= 3:
            close += sorted(k for k in names if needle in k)[:n]
        out: list[str] = []
        for key in close:
            name = self.name(names[key])
            if name not in out:
                out.append(name)
        return out[:n]

    def resolve(self, text: str) -> str:
        """The IRI of the one term ``text`` names; an error with the closest matches otherwise."""
        raw = text.strip()
        if not raw:
            raise UsageError("empty subject; give a label, synonym, CURIE or IRI")
        iri = expand(raw)
        if iri is not None:
            if iri in self.labels:
                return iri
            nearby = self.suggestions(raw.rsplit("/", 1)[-1].rsplit("_", 1)[-1])
            tail = f"; closest: {', '.join(nearby)}" if nearby else "; find terms with 'dgs-kg search TEXT'"
            raise UsageError(f"unknown term '{shown(raw)}': no class with that IRI in the ontology{tail}")
        key = raw.casefold()
        for table, what in ((self.by_label, "label"), (self.by_exact, "exact synonym"),
                            (self.by_other, "synonym")):
            hits = table.get(key)
            if not hits:
                continue
            if len(hits) == 1:
                return next(iter(hits))
            names = ", ".join(sorted(self.name(h) for h in hits))
            raise UsageError(f"ambiguous term '{shown(raw)}': it is a {what} of {names}; give a CURIE instead")
        close = self.suggestions(raw)
        hint = f"closest: {', '.join(close)}" if close else "try 'dgs-kg search TEXT'"
        raise UsageError(f"unknown term '{shown(raw)}'; {hint}")

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Terms whose label, synonym or definition matches ``text``, best first."""
        from .queries import compact

        import difflib

        needle = " ".join(text.casefold().split())
        if not needle:
            raise UsageError("empty search text")
        best: dict[str, SearchHit] = {}

        def offer(iri: str, matched: str, where: str, score: float) -> None:
            old = best.get(iri)
            if old is None or score > old.score:
                best[iri] = SearchHit(compact(iri), self.labels.get(iri, ""), matched, where, round(score, 3))

        for iri, label in self.labels.items():
            low = label.casefold()
            if low == needle:
                offer(iri, label, "label", 1.0)
            elif low.startswith(needle):
                offer(iri, label, "label", 0.9)
            elif needle in low:
                offer(iri, label, "label", 0.8)
            else:
                ratio = difflib.SequenceMatcher(None, needle, low).ratio()
                if ratio >= 0.75:
                    offer(iri, label, "label", 0.6 * ratio)
        for iri, syns in self.synonyms.items():
            for _, syn in syns:
                low = syn.casefold()
                if low == needle:
                    offer(iri, syn, "synonym", 0.95)
                elif needle in low:
                    offer(iri, syn, "synonym", 0.7)
        for iri, definition in self.definitions.items():
            if needle in definition.casefold():
                offer(iri, definition, "definition", 0.5)
        hits = sorted(best.values(), key=lambda h: (-h.score, h.label.casefold(), h.curie))
        return hits[:limit]


__all__ = ["SearchHit", "TermIndex", "expand", "known_iri", "quick_resolve"]
