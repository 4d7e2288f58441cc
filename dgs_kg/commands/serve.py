"""``dgs-kg serve`` (a bounded read-only SPARQL endpoint) and ``dgs-kg push`` (Graph Store Protocol).

Heavy imports stay inside the commands so ``dgs-kg`` starts fast.
"""
from __future__ import annotations

from pathlib import Path

import click


def register(group: click.Group) -> None:
    """Add ``serve`` and ``push`` to the ``dgs-kg`` command group."""
    group.add_command(serve_cmd)
    group.add_command(push_cmd)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (other machines can reach it only if you change this).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Wall-clock limit per query in seconds; past it the query is cut and answered with HTTP 503.")
@click.option("--max-rows", type=click.IntRange(min=0), default=50_000, show_default=True,
              help="Largest result in rows; a larger one is cut and answered with HTTP 413 (never truncated).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=64 << 20, show_default=True,
              help="Largest result in bytes; a larger one is cut and answered with HTTP 413.")
@click.option("--file", "files", multiple=True, type=click.Path(path_type=Path),
              help="RDF file(s) to serve (default: the bundled dgs.ttl); e.g. add synthetic case data.")
def serve_cmd(host: str, port: int, timeout: float, max_rows: int, max_bytes: int, files: tuple[Path, ...]) -> None:
    """Serve the ontology read-only over the SPARQL 1.1 Protocol, with a query page at /.

    Runs the Oxigraph server (PyPI package 'oxigraph') behind a guard that bounds every query in
    time and result size and refuses every write. Research and education only, not clinical advice.
    """
    from ..engines import default_artefact
    from ..server import Limits, serve

    paths = list(files) or [default_artefact()]
    serve(paths, host=host, port=port, limits=Limits(timeout=timeout, max_rows=max_rows, max_bytes=max_bytes),
          announce=click.echo)


@click.command("push")
@click.option("--endpoint", required=True,
              help="Graph Store Protocol URL of the store, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                   "http://HOST:3030/DATASET/data (Fuseki), http://HOST:7200/repositories/REPO/rdf-graphs/service "
                   "(GraphDB).")
@click.option("--graph", default=None,
              help="Named graph IRI to write (default: the store's default graph).")
@click.option("--merge", is_flag=True,
              help="Add to the graph (HTTP POST) instead of replacing its content (HTTP PUT, the default).")
@click.option("--file", "files", multiple=True, type=click.Path(path_type=Path),
              help="RDF file(s) to push (default: the bundled dgs.ttl).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=120.0, show_default=True,
              help="Seconds to wait for the store.")
def push_cmd(endpoint: str, graph: str | None, merge: bool, files: tuple[Path, ...], timeout: float) -> None:
    """Load the ontology into any triplestore through the SPARQL 1.1 Graph Store Protocol.

    Without --merge the target graph's content is REPLACED. Research and education only, not
    clinical advice.
    """
    from ..engines import default_artefact
    from ..remote import push

    paths = list(files) or [default_artefact()]
    triples = push(endpoint, paths, graph=graph, replace=not merge, timeout=timeout)
    target = f"graph <{graph}>" if graph else "the default graph"
    verb = "added" if merge else "replaced"
    click.echo(f"{verb} {target} at {endpoint}: {triples:,} triples from {', '.join(str(p) for p in paths)}")
