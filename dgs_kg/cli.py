"""The ``dgs-kg`` command line: thin click commands over the library.

Every user error becomes one clear message on stderr and a non-zero exit (2 for usage errors,
1 for everything else); a traceback is shown only with ``DGS_KG_DEBUG=1``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from . import __version__
from .constants import DISCLAIMER, checkout_root, data_dir
from .errors import DgsKgError, UsageError, failure, silence_closed_stdout


class DgsGroup(click.Group):
    """A click group that loads sub-commands lazily and turns dgs-kg errors into one line on
    stderr instead of a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            _load_command_module(self, LAZY_COMMANDS[cmd_name])
            command = super().get_command(ctx, cmd_name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # the reader of our output stopped reading: not an error
            ctx.exit(silence_closed_stdout())
        except (Exception, KeyboardInterrupt) as exc:  # never show users a traceback
            if os.environ.get("DGS_KG_DEBUG") and not isinstance(exc, DgsKgError):
                raise
            message, code = failure(exc)
            click.echo(message, err=True)
            ctx.exit(code)


def _default_src() -> Path:
    root = checkout_root()
    return (root / "ontology" / "src") if root else Path("ontology/src")


@click.group(cls=DgsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="dgs-kg")
def cli() -> None:
    """dgs-kg: knowledge graph and query toolkit for deep gluteal syndrome.

    For research and education only; not clinical advice.
    """


@cli.command()
@click.option("--src", type=click.Path(path_type=Path), default=None,
              help="Source folder (default: ontology/src of this checkout).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: ontology/ beside the sources).")
@click.option("--check", is_flag=True, help="Only validate the sources; write nothing.")
@click.option("--verify", is_flag=True, help="Fail if the committed artefacts differ from a fresh build.")
def build(src: Path | None, out: Path | None, check: bool, verify: bool) -> None:
    """Validate ontology/src and compile it into dgs.owl, dgs.ttl, dgs.json and dgs-base.*"""
    from .build import build as do_build
    from .build import stale_artefacts
    from .sources import load_sources

    src = src or _default_src()
    out = out or src.resolve().parent
    if not src.is_dir():
        raise UsageError(f"source folder {src} not found; pass --src ontology/src")
    if check:
        loaded = load_sources(src)
        click.echo(f"ok: {len(loaded.terms)} terms, {len(loaded.properties)} properties, "
                   f"{len(loaded.relations)} relationships, {len(loaded.values)} values, "
                   f"{len(loaded.references)} references")
        return
    if verify:
        stale = stale_artefacts(src, out)
        if stale:
            raise DgsKgError(f"artefacts out of date: {', '.join(stale)}; run 'dgs-kg build' and commit them")
        click.echo("ok: artefacts are up to date")
        return
    written = do_build(src, out)
    for name, path in sorted(written.items()):
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@cli.command()
@click.option("--file", "files", multiple=True, type=click.Path(path_type=Path),
              help="Ontology file(s) to describe (default: the bundled dgs.ttl).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def info(files: tuple[Path, ...], fmt: str) -> None:
    """Counts of terms by category, axioms, sources, and the version."""
    from .engines import OxigraphEngine
    from .stats import compute_stats

    stats = compute_stats(OxigraphEngine(list(files) or None))
    if fmt == "json":
        import json
        from dataclasses import asdict

        click.echo(json.dumps(asdict(stats), indent=2, sort_keys=True))
        return
    from .output import text_table

    rows = [["title", stats.title], ["version", stats.version], ["triples", str(stats.triples)],
            ["classes (project / imported)", f"{stats.classes} ({stats.project_classes} / {stats.imported_classes})"],
            ["properties", str(stats.properties)], ["logical axioms", str(stats.logical_axioms)],
            ["relationship axioms (with source)", f"{stats.relationship_axioms} ({stats.sourced_relationship_axioms})"],
            ["synonyms of project terms (with source)", f"{stats.synonyms} ({stats.sourced_synonyms})"],
            ["distinct sources cited", str(stats.sources_cited)], ["publications", str(stats.publications)]]
    click.echo(text_table(None, rows, max_width=None))
    click.echo("\nterms by category:")
    click.echo(text_table(["category", "terms"], [[c, str(n)] for c, n in sorted(stats.by_category.items())]))
    click.echo(f"\n{DISCLAIMER}")


@cli.command("imports")
@click.option("--uberon", "sources", multiple=True, type=click.Path(path_type=Path),
              help="Uberon file(s) to extract from (.owl/.obo/.ttl or a MIREOT .tsv), first wins. "
                   "Default: the committed extracts in ontology/imports/.")
@click.option("--terms", type=click.Path(path_type=Path), default=None,
              help="Seed list (default: ontology/imports/uberon_terms.txt).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Module to write (default: ontology/imports/uberon_import.ttl).")
def imports_cmd(sources: tuple[Path, ...], terms: Path | None, output: Path | None) -> None:
    """Re-extract the Uberon import module for the seed term list (nothing is downloaded)."""
    from .imports import write_module

    imports_dir = data_dir() / "imports"
    terms = terms or imports_dir / "uberon_terms.txt"
    if not terms.is_file():
        raise UsageError(f"seed list {terms} not found; pass --terms FILE")
    source_list = list(sources) or [
        imports_dir / "sources" / "doid-uberon-import-2026-06-19.owl",
        imports_dir / "uberon_mireot.tsv",
        imports_dir / "sources" / "uberon-subset-2022-02-21.obo",
    ]
    output = output or imports_dir / "uberon_import.ttl"
    from .imports import read_seeds

    seeds = set(read_seeds(terms))
    count, missing = write_module(terms, source_list, output)
    click.echo(f"wrote {output}: {count} classes from {len(seeds)} seeds")
    missing_seeds = [m for m in missing if m in seeds]
    missing_parents = [m for m in missing if m not in seeds]
    if missing_parents:
        click.echo(f"note: parents not in any source (their links were dropped): {', '.join(missing_parents)}",
                   err=True)
    if missing_seeds:
        raise DgsKgError(f"seed terms not found in any source: {', '.join(missing_seeds)}; "
                         "pass a fuller Uberon file with --uberon")


#: Sub-commands defined in dgs_kg/commands/<module>.py (each module has ``register(group)``).
#: They are imported only when invoked or listed, so ``dgs-kg query`` does not pay for the
#: explorer, the reasoner or the server. tests/test_cli.py checks this table against the modules.
LAZY_COMMANDS: dict[str, str] = {
    "query": "query", "queries": "query", "term": "query", "search": "query",
    "serve": "serve", "push": "serve",
    "check": "qc", "validate": "qc",
    "explore": "educator", "diagram": "educator", "docs": "educator", "export": "educator",
}


def _load_command_module(group: click.Group, module_name: str) -> None:
    import importlib

    importlib.import_module(f"{__package__}.commands.{module_name}").register(group)


def main(args: list[str] | None = None) -> None:
    """The click CLI (the console script starts in :func:`dgs_kg.launcher.main`)."""
    cli(args, prog_name="dgs-kg")


if __name__ == "__main__":  # pragma: no cover
    main()
