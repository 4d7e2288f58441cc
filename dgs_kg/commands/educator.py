"""Educator views: ``explore``, ``diagram``, ``docs`` and ``export``.

Everything is generated from the built ontology and carries the line "research and education only,
not clinical advice". Heavy imports (networkx, graphviz) stay inside the commands.
"""
from __future__ import annotations

from pathlib import Path

import click

FILE_OPTION = click.option("--file", "files", multiple=True, type=click.Path(path_type=Path),
                           help="Built ontology file(s) to read (default: the bundled dgs.ttl).")


def register(group: click.Group) -> None:
    """Add the educator commands to the ``dgs-kg`` group."""
    for command in (explore_cmd, diagram_cmd, docs_cmd, export_cmd):
        group.add_command(command)


def _graph(files: tuple[Path, ...]):
    from ..export import load_graph

    return load_graph(list(files) or None)


@click.command("explore")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("explorer.html"), show_default=True,
              help="HTML file to write.")
@FILE_OPTION
def explore_cmd(output: Path, files: tuple[Path, ...]) -> None:
    """Write one self-contained, offline HTML explorer of the ontology (open it in any browser)."""
    from ..explore import write_explorer

    path = write_explorer(_graph(files), output)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes); open it from disk, no network needed")
    click.echo("research and education only, not clinical advice")


@click.command("diagram")
@click.argument("term")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="File to write: .svg, .png or .mmd (Mermaid text).")
@click.option("--schematic", is_flag=True,
              help="Draw TERM (a space such as 'deep gluteal space') with its boundaries and ordered contents.")
@click.option("--highlight", default=None, metavar="VARIANT",
              help="With --schematic: highlight where this condition entraps the nerve.")
@click.option("--depth", type=int, default=1, show_default=True, help="Neighbourhood radius (1-3).")
@click.option("--no-is-a", is_flag=True, help="Leave out subclass (is a) links.")
@FILE_OPTION
def diagram_cmd(term: str, output: Path, schematic: bool, highlight: str | None, depth: int, no_is_a: bool,
                files: tuple[Path, ...]) -> None:
    """Draw TERM's neighbourhood (or the space schematic) for slides, from the ontology's relations."""
    from ..diagram import write_diagram

    path = write_diagram(_graph(files), term, output, schematic=schematic, highlight=highlight, depth=depth,
                         include_is_a=not no_is_a)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@click.command("docs")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Folder to write the static site into.")
@click.option("--no-diagrams", is_flag=True, help="Skip the per-term SVG diagrams (faster).")
@FILE_OPTION
def docs_cmd(output: Path, no_diagrams: bool, files: tuple[Path, ...]) -> None:
    """Write a static reference site, one page per term, with an index and search (works offline)."""
    from ..docsite import write_site

    count = write_site(_graph(files), output, diagrams=not no_diagrams)
    click.echo(f"wrote {count} term pages and {output / 'index.html'}")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "cytoscape"]), required=True,
              help="GraphML (yEd, Gephi), GEXF (Gephi) or Cytoscape JSON (Cytoscape, cytoscape.js).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="File to write.")
@FILE_OPTION
def export_cmd(fmt: str, output: Path, files: tuple[Path, ...]) -> None:
    """Export terms and sourced relationships for other graph tools (via networkx)."""
    from ..export import export

    path = export(_graph(files), fmt, output)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
