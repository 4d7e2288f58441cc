"""``dgs-kg check`` (HermiT, explanations, OWL 2 DL profile, QC rules) and ``dgs-kg validate`` (SHACL).

Exit codes: 0 clean, 1 when anything at or above the fail level is found (``validate``: any SHACL
violation), 2 on a usage error. Heavy libraries are imported inside the commands.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..constants import DISCLAIMER

FORMATS = ("table", "tsv", "json", "md")


def _emit(text: str, fmt: str, output: Path | None) -> None:
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            from ..errors import UsageError

            raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from exc
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
    if fmt in ("tsv", "json") or output is not None:
        click.echo(DISCLAIMER, err=True)  # machine formats stay parseable; the note goes to stderr


def register(group: click.Group) -> None:
    """Add ``check`` and ``validate`` to the dgs-kg command group."""

    @group.command("check")
    @click.argument("files", nargs=-1, type=click.Path(path_type=Path))
    @click.option("--ontology", type=click.Path(path_type=Path), default=None,
                  help="Ontology to check the files against (default: the bundled dgs.owl).")
    @click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path),
                  help="Folder of extra QC rules (*.rq, one SPARQL SELECT each); repeatable.")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                  help="Report format (tsv is ROBOT-report compatible).")
    @click.option("--fail-on", type=click.Choice(["ERROR", "WARN"], case_sensitive=False), default="ERROR",
                  show_default=True, help="Exit 1 when anything at or above this level is found.")
    @click.option("--no-reasoner", is_flag=True,
                  help="Skip HermiT and the OWL 2 DL profile check (both need Java); run only the rules.")
    @click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
                  help="Write the report to this file instead of standard output.")
    def check(files: tuple[Path, ...], ontology: Path | None, rules_dirs: tuple[Path, ...], fmt: str,
              fail_on: str, no_reasoner: bool, output: Path | None) -> None:
        """Reason over the ontology plus FILEs and report defects, with labels and explanations.

        HermiT checks consistency and finds unsatisfiable classes, each with a minimal
        justification (axioms in words, with their sources); the OWL API checks the OWL 2 DL
        profile; SPARQL rules (ROBOT report's and dgs-kg's own) report ERROR/WARN/INFO defects.
        For research and education only; not clinical advice.
        """
        from ..qc import render_check, run_check

        report = run_check(list(files), ontology, list(rules_dirs), reasoner=not no_reasoner)
        _emit(render_check(report, fmt, fail_on.upper()), fmt, output)
        if report.fails(fail_on.upper()):
            raise click.exceptions.Exit(1)

    @group.command("validate")
    @click.argument("data", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--ontology", type=click.Path(path_type=Path), default=None,
                  help="Ontology the data points at (default: the bundled dgs.owl).")
    @click.option("--shapes", "shapes", multiple=True, type=click.Path(path_type=Path),
                  help="SHACL shapes file(s) to use instead of the packaged case-record shapes.")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
    @click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
                  help="Write the report to this file instead of standard output.")
    def validate(data: tuple[Path, ...], ontology: Path | None, shapes: tuple[Path, ...], fmt: str,
                 output: Path | None) -> None:
        """Check case data (DATA.ttl ...) against SHACL shapes: findings, tests, values, diagnoses.

        Each violation names the focus node (with its label) and the path. Vocabulary:
        docs/dev/case-vocabulary.md. For research and education only; not clinical advice.
        """
        from ..qc import render_violations, validate_data

        violations = validate_data(list(data), ontology, list(shapes) or None)
        _emit(render_violations(violations, list(data), fmt), fmt, output)
        if any(v.severity == "Violation" for v in violations):
            raise click.exceptions.Exit(1)
