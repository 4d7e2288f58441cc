"""CLI: ``dgs-kg query``, ``queries``, ``term`` and ``search``.

Heavy modules (pyoxigraph, rdflib) are imported inside the commands so ``dgs-kg`` starts
fast; the artefact is bulk-loaded into pyoxigraph only when a command needs it.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from ..constants import DISCLAIMER
from ..engines import LOCAL_ENGINES
from ..launcher import run_query
from ..output import FORMATS

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph


def _graph(ontology: tuple[str, ...], engine: str, endpoint: str | None) -> "KnowledgeGraph":
    from ..graph import KnowledgeGraph

    return KnowledgeGraph.load(list(ontology) or None, engine=engine, endpoint=endpoint)


def _engine_options(f):
    f = click.option("--endpoint", default=None, metavar="URL",
                     help="Query this SPARQL 1.1 endpoint instead of the bundled ontology.")(f)
    f = click.option("--engine", type=click.Choice(LOCAL_ENGINES), default="oxigraph",
                     show_default=True, help="Local query engine.")(f)
    f = click.option("--ontology", "ontology", multiple=True, type=click.Path(),
                     help="Ontology file(s) to query (default: the bundled dgs.ttl).")(f)
    return f


def _disclaim(machine: bool) -> None:
    click.echo(DISCLAIMER, err=machine)


def register(group: click.Group) -> None:
    """Add the query commands to the ``dgs-kg`` group."""

    @group.command("query")
    @click.argument("name")
    @click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
                  help="Bind ?NAME to a term given by label, synonym, CURIE or IRI; a value in double quotes is a literal (repeatable).")
    @click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                  help="json is the W3C SPARQL 1.1 Query Results JSON format.")
    @_engine_options
    def query_cmd(name: str, params: tuple[str, ...], fmt: str, ontology: tuple[str, ...], engine: str,
                  endpoint: str | None) -> None:
        """Run a named query (see 'dgs-kg queries') or a .rq file.

        Example: dgs-kg query mimics-of --param subject="deep gluteal syndrome"
        """
        # The console script runs the usual forms of this command without click (dgs_kg/launcher.py);
        # both routes share this body.
        run_query(name, params, fmt, ontology, engine, endpoint)

    @group.command("queries")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    def queries_cmd(fmt: str) -> None:
        """List the named competency queries with their titles."""
        from ..queries import catalog

        queries = catalog()
        if fmt == "json":
            click.echo(json.dumps([{"name": q.name, "title": q.title, "question": q.question,
                                    "audience": q.audience, "params": q.params, "example": q.example,
                                    "returns": q.returns} for q in queries.values()], indent=2))
            _disclaim(True)
            return
        from ..output import text_table

        rows = [[q.name, q.title, ", ".join(q.params)] for q in queries.values()]
        click.echo(text_table(["name", "title", "parameters"], rows, max_width=None))
        click.echo("\nRun one: dgs-kg query NAME --param subject=TERM")
        _disclaim(False)

    @group.command("term")
    @click.argument("name")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    @_engine_options
    def term_cmd(name: str, fmt: str, ontology: tuple[str, ...], engine: str, endpoint: str | None) -> None:
        """Show a term (label, synonym, CURIE or IRI): definition, sources, synonyms, xrefs, parents."""
        info = _graph(ontology, engine, endpoint).term(name)
        if fmt == "json":
            click.echo(json.dumps(info.as_dict(), indent=2, ensure_ascii=False))
            _disclaim(True)
            return
        lines = [f"{info.label} ({info.curie})", f"  iri:        {info.iri}"]
        if info.definition:
            lines.append(f"  definition: {info.definition}")
        if info.sources:
            lines.append(f"  sources:    {' | '.join(info.sources)}")
        for syn in info.synonyms:
            typ = f" [{syn.type}]" if syn.type else ""
            seen_in = f"; seen in {', '.join(syn.sources)}" if syn.sources else ""
            lines.append(f"  synonym:    {syn.text} ({syn.scope}{typ}{seen_in})")
        if info.xrefs:
            lines.append(f"  xrefs:      {' | '.join(info.xrefs)}")
        for curie, label in info.parents:
            lines.append(f"  is a:       {label} ({curie})" if label else f"  is a:       {curie}")
        if info.comment:
            lines.append(f"  comment:    {info.comment}")
        click.echo("\n".join(lines))
        click.echo("")
        _disclaim(False)

    @group.command("search")
    @click.argument("text", nargs=-1, required=True)
    @click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    @_engine_options
    def search_cmd(text: tuple[str, ...], limit: int, fmt: str, ontology: tuple[str, ...], engine: str,
                   endpoint: str | None) -> None:
        """Find terms whose label, synonym or definition matches TEXT."""
        hits = _graph(ontology, engine, endpoint).search(" ".join(text), limit)
        if fmt == "json":
            click.echo(json.dumps([h._asdict() for h in hits], indent=2, ensure_ascii=False))
            _disclaim(True)
            return
        if not hits:
            click.echo(f"no term matches '{' '.join(text)}'")
        else:
            from ..output import text_table

            rows = [[h.curie, h.label, h.field, h.matched if h.field != "label" else ""] for h in hits]
            click.echo(text_table(["curie", "label", "matched in", "match"], rows))
        click.echo("")
        _disclaim(False)
