"""The console script's fast route for ``dgs-kg query`` (dgs_kg/launcher.py) against the click command.

The launcher parses the usual forms of ``dgs-kg query`` itself so that click is not imported. These
tests hold it to the click command: the same options parsed from the same words, the same bytes
on stdout and stderr and the same exit code for every named query in every format and for every
kind of mistake, and a hand-over to click for anything it does not parse.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from dgs_kg.cli import cli
from dgs_kg.constants import DISCLAIMER
from dgs_kg.launcher import main, parse_query_args
from dgs_kg.output import FORMATS
from dgs_kg.queries import catalog

from .conftest import ROOT


def _click_query_command() -> click.Command:
    ctx = click.Context(cli)
    command = cli.get_command(ctx, "query")
    assert isinstance(command, click.Command) and command.name == "query", command
    return command


def _click_params(args: list[str]) -> dict[str, object] | None:
    """What click's own parser makes of ``dgs-kg query ARGS``, or None when it refuses them."""
    try:
        ctx = _click_query_command().make_context("query", list(args), resilient_parsing=False)
    except click.exceptions.Exit:
        return None
    except click.ClickException:
        return None
    p = ctx.params
    return {"name": p["name"], "params": list(p["params"]), "fmt": p["fmt"], "ontology": list(p["ontology"]),
            "engine": p["engine"], "endpoint": p["endpoint"]}


ARGUMENT_FORMS = [
    ["mimics-of"],
    ["mimics-of", "--param", "subject=DGS"],
    ["mimics-of", "--param=subject=DGS"],
    ["mimics-of", "-p", "subject=DGS"],
    ["mimics-of", "-psubject=DGS"],
    ["-p", "subject=DGS", "mimics-of"],
    ["mimics-of", "-p", "subject=DGS", "-p", "other=x"],
    ["mimics-of", "--format", "csv"],
    ["mimics-of", "--format=tsv"],
    ["mimics-of", "-f", "json"],
    ["mimics-of", "-fmd"],
    ["mimics-of", "-f", "csv", "-f", "table"],
    ["mimics-of", "--ontology", "a.ttl", "--ontology=./b.nt"],
    ["mimics-of", "--engine", "rdflib"],
    ["mimics-of", "--engine=oxigraph", "--endpoint", "http://127.0.0.1:1/query"],
    ["mimics-of", "--endpoint=http://x/sparql"],
    ["--", "mimics-of"],
    ["-p", "subject=DGS", "--", "my.rq"],
    ["mimics-of", "--param", ""],
    ["mimics-of", "--param="],
    ["-"],
]
#: Forms the launcher leaves to click (help, mistakes, anything unusual).
HANDED_OVER = [
    [],
    ["--help"],
    ["mimics-of", "-h"],
    ["mimics-of", "--format", "xml"],
    ["mimics-of", "--engine", "remote"],
    ["mimics-of", "extra"],
    ["mimics-of", "--param"],
    ["mimics-of", "-p"],
    ["mimics-of", "--frmat", "csv"],
    ["mimics-of", "--verbose"],
    ["mimics-of", "-x"],
    ["mimics-of", "-p", "-f"],
    ["mimics-of", "--param", "--format"],
]


@pytest.mark.parametrize("args", ARGUMENT_FORMS, ids=" ".join)
def test_the_launcher_parses_like_click(args: list[str]) -> None:
    expected = _click_params(args)
    assert expected is not None, "click refuses this form; move it to HANDED_OVER"
    assert parse_query_args(args) == expected


@pytest.mark.parametrize("args", HANDED_OVER, ids=lambda a: " ".join(a) or "(none)")
def test_the_launcher_hands_unusual_forms_to_click(args: list[str]) -> None:
    assert parse_query_args(args) is None


def _both_routes(args: list[str], runner, capsys) -> tuple[tuple[str, str, int], tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    """(stdout, stderr, exit code) of ``dgs-kg ARGS`` through the launcher and through click."""
    capsys.readouterr()
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    result = runner.invoke(cli, args, prog_name="dgs-kg")
    return (out, err, code), (result.stdout, result.stderr, result.exit_code)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_named_query_prints_the_same_through_both_routes(fmt: str, built: Path, runner, capsys) -> None:  # type: ignore[no-untyped-def]
    ttl = str(built / "dgs.ttl")
    for name, query in sorted(catalog().items()):
        example = query.example.split("subject=", 1)[-1].strip().strip('"') if "subject=" in query.example else ""
        args = ["query", name, "--format", fmt, "--ontology", ttl] + (["-p", f"subject={example}"] if example else [])
        fast, slow = _both_routes(args, runner, capsys)
        assert fast == slow, (name, fmt)
        assert fast[2] == 0, (name, fast[1])
        assert fast[0].strip(), (name, fmt)  # a table, a header row or a JSON document


MISTAKES = [
    (["query", "no-such-query"], 2, "no named query 'no-such-query'"),
    (["query", "mimics-of", "-p", "subject=no such term at all"], 2, "unknown term"),
    (["query", "mimics-of", "-p", "subject"], 2, "is not NAME=VALUE"),
    (["query", "mimics-of", "-p", "subject=DGS", "-p", "subject=DGS"], 2, "given twice"),
    (["query", "mimics-of", "-p", "nosuchvar=x"], 2, "no variable ?nosuchvar"),
    (["query", "mimics-of"], 2, "needs --param subject"),
    (["query", "mimics-of", "-p", "subject=DGS", "--ontology", "missing.ttl"], 2, "missing.ttl: ontology file not found"),
    (["query", "mimics-of", "-p", "subject=DGS", "--ontology", "x.ttl", "--endpoint", "http://127.0.0.1:9/q"], 2,
     "either --endpoint or --ontology"),
    (["query", "mimics-of", "--format", "xml"], 2, "Invalid value for '--format'"),
]


@pytest.mark.parametrize("args,code,message", MISTAKES, ids=lambda v: " ".join(v) if isinstance(v, list) else str(v))
def test_mistakes_give_the_same_message_and_exit_code_through_both_routes(
        args: list[str], code: int, message: str, runner, capsys) -> None:  # type: ignore[no-untyped-def]
    fast, slow = _both_routes(args, runner, capsys)
    assert fast == slow
    assert fast[2] == code
    assert message in fast[0] + fast[1]
    if code:
        assert "Traceback" not in fast[1]


def test_help_comes_from_click(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exited:
        main(["query", "mimics-of", "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("Usage: dgs-kg query [OPTIONS] NAME")


def test_a_syntax_error_in_a_query_file_names_the_file_line_and_column(tmp_path: Path, runner, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: broken\nSELECT ?x WHERE {\n  ?x ?y \n}\n", encoding="utf-8")
    fast, slow = _both_routes(["query", str(bad), "-f", "csv"], runner, capsys)
    assert fast == slow
    assert fast[2] == 2
    assert fast[1].startswith(f"error: {bad}:3:") or fast[1].startswith(f"error: {bad}:4:"), fast[1]
    assert fast[1].count("\n") == 1


def test_the_query_route_imports_neither_click_nor_slow_stdlib_modules(built: Path) -> None:
    """The point of the launcher: a cold ``dgs-kg query`` does not pay for click, dataclasses, pathlib or typing."""
    code = ("import sys\nfrom dgs_kg.launcher import main\n"
            "try:\n    main(sys.argv[1:])\nfinally:\n"
            "    slow = sorted(m for m in ('click', 'dataclasses', 'pathlib', 'typing') if m in sys.modules)\n"
            "    print('slow imports:', *slow, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, "query", "structures-of-variant", "-p",
                           "subject=piriformis syndrome", "-f", "csv", "--ontology", str(built / "dgs.ttl")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "sciatic nerve" in done.stdout
    assert done.stderr.splitlines() == [DISCLAIMER, "slow imports:"]


def test_other_commands_still_go_to_click(runner) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run([sys.executable, "-m", "dgs_kg", "queries"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "structures-of-variant" in done.stdout
    assert done.stdout == runner.invoke(cli, ["queries"], prog_name="dgs-kg").stdout


@pytest.mark.parametrize("args", [["term", "sciatica"],
                                  ["query", "structures-of-variant", "-p", "subject=piriformis syndrome"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(args: list[str]) -> None:
    """``dgs-kg term sciatica | head -1``: once the reader has gone, writing fails with EPIPE; the
    command stops with the shell's code for it (141), not an 'internal error'."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte is written
    try:
        done = subprocess.run([sys.executable, "-m", "dgs_kg", *args], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 141, done.stderr
    assert "error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
