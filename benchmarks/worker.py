"""Measure one engine on one data set; prints one JSON object per line (load, then each query).

Run by benchmarks/run.py in a subprocess per engine and data set, so a slow engine is bounded by a
process timeout and one engine's memory never affects another's numbers.

    python benchmarks/worker.py ENGINE QUERIES.json DATA.ttl [DATA.nt ...]

ENGINE: api (KnowledgeGraph.query), engine (dgs_kg OxigraphEngine.select), pyoxigraph, rdflib,
owlready2.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

#: Per query: repeat until this many seconds were spent (at least MIN_RUNS, at most MAX_RUNS runs).
BUDGET_S = 1.0
MIN_RUNS, MAX_RUNS = 3, 500
#: A query slower than this once is reported from that single run.
SLOW_S = 5.0


def emit(obj: dict) -> None:
    print(json.dumps(obj), flush=True)


def loader(engine: str, files: list[Path]):  # noqa: ANN201 - returns a runner closure
    """Load the data; return run(query) -> number of rows, with results fully materialised."""
    if engine == "pyoxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        for f in files:
            fmt = ox.RdfFormat.TURTLE if f.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
            store.bulk_load(path=str(f), format=fmt)

        def run(q: dict) -> int:
            result = store.query(q["sparql"])
            if isinstance(result, bool):
                return 1
            return sum(1 for solution in result for _ in [tuple(solution)])

        return run
    if engine == "engine":
        from dgs_kg.engines import OxigraphEngine

        eng = OxigraphEngine(files)
        return lambda q: len(eng.select(q["sparql"])[1])
    if engine == "api":
        from dgs_kg.graph import KnowledgeGraph

        kg = KnowledgeGraph.load(list(files))
        _ = kg.index  # the label index is built once per graph, like in a session

        def run(q: dict) -> int:
            if q.get("name") and q.get("subject_label") is not None:
                return len(kg.query(q["name"], subject=q["subject_label"]))
            return len(kg.query(q["sparql"]))

        return run
    if engine == "rdflib":
        from rdflib import Graph

        graph = Graph()
        for f in files:
            graph.parse(f, format="turtle" if f.suffix == ".ttl" else "nt")
        return lambda q: len(list(graph.query(q["sparql"])))
    if engine == "owlready2":
        import owlready2

        import tempfile

        world = owlready2.World()
        convert_dir = Path(tempfile.mkdtemp(prefix="dgs-kg-bench-"))
        for f in files:
            nt = f if f.suffix == ".nt" else convert_dir / (f.stem + ".nt")
            if nt != f:  # owlready2 reads RDF/XML or N-Triples, not Turtle: convert first (not timed apart)
                import pyoxigraph as ox

                store = ox.Store()
                store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
                store.dump(output=str(nt), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            world.get_ontology(f"file://{nt.resolve()}").load(format="ntriples")
        return lambda q: len(list(world.sparql(q["sparql"])))
    raise SystemExit(f"unknown engine {engine}")


def main() -> None:
    engine, queries_file, *data = sys.argv[1:]
    queries = json.loads(Path(queries_file).read_text())
    files = [Path(d) for d in data]
    start = time.perf_counter()
    run = loader(engine, files)
    emit({"event": "load", "seconds": time.perf_counter() - start})
    for q in queries:
        try:
            t0 = time.perf_counter()
            rows = run(q)  # first run: warms caches (the label index, query plans) and counts rows
            first = time.perf_counter() - t0
            times = [first]
            if first < SLOW_S:
                times = []
                spent = 0.0
                while len(times) < MAX_RUNS and (len(times) < MIN_RUNS or spent < BUDGET_S):
                    t0 = time.perf_counter()
                    run(q)
                    times.append(time.perf_counter() - t0)
                    spent += times[-1]
            emit({"event": "query", "query": q["id"], "rows": rows, "median_s": statistics.median(times),
                  "runs": len(times)})
        except Exception as exc:  # noqa: BLE001 - an engine that cannot run a query is a result too
            emit({"event": "query", "query": q["id"], "error": f"{type(exc).__name__}: {str(exc)[:160]}"})


if __name__ == "__main__":
    main()
