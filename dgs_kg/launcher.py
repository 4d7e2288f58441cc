"""The ``dgs-kg`` console script: runs ``dgs-kg query`` without importing click.

Importing click takes about 30 ms, most of the ~40 ms a bare pyoxigraph script needs to load the
bundled ontology and answer a query. The usual form,
``dgs-kg query NAME [-p NAME=VALUE]... [-f FORMAT] [--ontology FILE]... [--engine E] [--endpoint URL]``,
is parsed here with exactly the meaning the click command gives it: both call :func:`run_query`.
Everything else goes to the click CLI (:mod:`dgs_kg.cli`), which then prints its usual help or
error: other commands, ``--help``, unknown options, a missing value, an unknown format or engine.
tests/test_launcher.py checks that both routes print the same bytes and exit with the same code.
"""
from __future__ import annotations

import os
import sys

from .constants import DISCLAIMER
from .engines import LOCAL_ENGINES
from .output import FORMATS, MACHINE_FORMATS

#: Options of ``dgs-kg query`` that take a value, and the keyword of :func:`run_query` each sets.
_OPTIONS = {"--param": "params", "-p": "params", "--format": "fmt", "-f": "fmt", "--ontology": "ontology",
            "--engine": "engine", "--endpoint": "endpoint"}
_REPEATED = frozenset({"params", "ontology"})


def parse_params(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``NAME=VALUE`` pairs from ``--param`` as a dict (a leading ``?`` or ``$`` is dropped)."""
    from .errors import UsageError

    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lstrip("?$")
        if not sep or not key:
            raise UsageError(f"--param '{pair}' is not NAME=VALUE (example: --param subject=\"piriformis syndrome\")")
        if key in params:
            raise UsageError(f"--param {key} given twice")
        params[key] = value.strip()
    return params


def run_query(name: str, params: list[str] | tuple[str, ...] = (), fmt: str = "table",
              ontology: list[str] | tuple[str, ...] = (), engine: str = "oxigraph",
              endpoint: str | None = None) -> None:
    """The body of ``dgs-kg query``: resolve, bind, run, print; the disclaimer goes to stderr for
    machine formats (table and md carry it in the output)."""
    from .engines import open_engine
    from .output import render
    from .queries import get_query, run

    bound = parse_params(params)
    query = get_query(name)  # fails fast on an unknown name, before loading anything
    results = run(open_engine(list(ontology) or None, engine, endpoint), query, bound)
    sys.stdout.write(render(results, fmt))
    sys.stdout.flush()
    if fmt in MACHINE_FORMATS:
        sys.stderr.write(DISCLAIMER + "\n")


def parse_query_args(args: list[str]) -> dict[str, object] | None:
    """The keywords of :func:`run_query` for the words after ``query``, or None when they are not
    plainly valid, so that click parses them and reports any mistake in its usual way."""
    options: dict[str, object] = {"params": [], "fmt": "table", "ontology": [], "engine": "oxigraph",
                                  "endpoint": None}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positional += args[i:]
            break
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            continue
        if arg.startswith("--"):  # --param VALUE or --param=VALUE
            option, equals, value = arg.partition("=")
            inline = bool(equals)
        else:  # -p VALUE or -pVALUE, as click reads them
            option, value = arg[:2], arg[2:]
            inline = bool(value)
        key = _OPTIONS.get(option)
        if key is None:
            return None
        if not inline:
            if i >= len(args) or args[i].startswith("-"):
                return None
            value = args[i]
            i += 1
        if key in _REPEATED:
            options[key].append(value)  # type: ignore[attr-defined]
        else:
            options[key] = value
    if len(positional) != 1 or options["fmt"] not in FORMATS or options["engine"] not in LOCAL_ENGINES:
        return None
    options["name"] = positional[0]
    return options


def _fail(exc: BaseException) -> int:
    from .errors import DgsKgError, failure, silence_closed_stdout

    if isinstance(exc, BrokenPipeError):  # the reader of our output stopped reading: not an error
        return silence_closed_stdout()

    if os.environ.get("DGS_KG_DEBUG") and not isinstance(exc, DgsKgError):
        raise exc
    message, code = failure(exc)
    sys.stderr.write(message + "\n")
    return code


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: the fast route for ``dgs-kg query``, click for everything else."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["query"]:
        options = parse_query_args(args[1:])
        if options is not None:
            try:
                run_query(**options)  # type: ignore[arg-type]
            except (Exception, KeyboardInterrupt) as exc:
                sys.exit(_fail(exc))
            return
    from .cli import main as click_main

    click_main(args)
