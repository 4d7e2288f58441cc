"""The bare baseline for cold start: load the files into pyoxigraph, run one query, print CSV rows.

    python benchmarks/bare_query.py QUERY.rq DATA.ttl [DATA.nt ...]
"""
import sys

import pyoxigraph as ox

query_path, *files = sys.argv[1:]
store = ox.Store()
for f in files:
    store.bulk_load(path=f, format=ox.RdfFormat.TURTLE if f.endswith(".ttl") else ox.RdfFormat.N_TRIPLES)
with open(query_path, encoding="utf-8") as fh:
    result = store.query(fh.read())
sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.CSV))
