"""How long it takes to get a queryable pyoxigraph store: parse Turtle, parse N-Triples, or open a
prebuilt on-disk store. Each variant runs as a fresh process (a true cold start), so the numbers
include the interpreter start and ``import pyoxigraph``.

    .venv/bin/python benchmarks/load_formats.py [DATA.nt ...]    # default: benchmarks/tmp/cases-*.nt

Writes a markdown table to stdout. Measurements, not tests.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ONTOLOGY = ROOT / "ontology" / "dgs.ttl"
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }"
RUNS = 5

PARSE = """import sys, pyoxigraph as ox
s = ox.Store()
for f in sys.argv[1:]:
    s.bulk_load(path=f, format=ox.RdfFormat.TURTLE if f.endswith('.ttl') else ox.RdfFormat.N_TRIPLES)
print(next(iter(s.query(%r)))['n'].value)
""" % QUERY
OPEN = """import sys, pyoxigraph as ox
s = ox.Store.read_only(sys.argv[1])
print(next(iter(s.query(%r)))['n'].value)
""" % QUERY


def timed(cmd: list[str]) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(RUNS):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600).stdout.strip()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    import pyoxigraph as ox

    files = [Path(a) for a in sys.argv[1:]] or sorted((HERE / "tmp").glob("cases-*.nt"),
                                                        key=lambda p: p.stat().st_size)
    work = HERE / "tmp" / "load-formats"
    work.mkdir(parents=True, exist_ok=True)
    print(f"Cold process: start Python, import pyoxigraph, make the store queryable, run `{QUERY}`; "
          f"median of {RUNS} runs, ms.\n")
    print("| data | triples | parse Turtle + N-Triples | parse one N-Triples file | open prebuilt store | "
          "parse / open |")
    print("|---|---|---|---|---|---|")
    for cases in [None, *files]:
        sources = [ONTOLOGY] + ([cases] if cases else [])
        name = cases.stem if cases else "ontology"
        store = ox.Store()
        for f in sources:
            store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE if f.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES)
        merged = work / f"{name}.nt"
        store.dump(output=str(merged), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        prebuilt = work / f"{name}.store"
        shutil.rmtree(prebuilt, ignore_errors=True)
        disk = ox.Store(str(prebuilt))
        disk.bulk_load(path=str(merged), format=ox.RdfFormat.N_TRIPLES)
        disk.flush()
        del disk
        parse_t, a = timed([sys.executable, "-c", PARSE, *map(str, sources)])
        nt_t, b = timed([sys.executable, "-c", PARSE, str(merged)])
        open_t, c = timed([sys.executable, "-c", OPEN, str(prebuilt)])
        assert a == b == c, (a, b, c)
        print(f"| {name} | {len(store):,} | {parse_t * 1000:,.0f} | {nt_t * 1000:,.0f} | {open_t * 1000:,.0f} | "
              f"{parse_t / open_t:.1f}x |")


if __name__ == "__main__":
    main()
