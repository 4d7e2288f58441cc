"""Result rendering (dgs_kg/output.py): the text and Markdown tables of real query results."""
from __future__ import annotations

from pathlib import Path

from dgs_kg.graph import KnowledgeGraph
from dgs_kg.output import markdown_table, render, text_table


def test_text_table_wraps_long_cells_and_keeps_columns_aligned(built: Path) -> None:
    results = KnowledgeGraph.load(built / "dgs.ttl").mimics_of("deep gluteal syndrome")
    out = render(results, "table").splitlines()
    header, rule = out[0], out[1]
    starts = [i for i in range(len(rule)) if rule[i] == "-" and (i == 0 or rule[i - 1] == " ")]
    assert len(starts) == len(results.variables)
    assert [header[s:].split()[0] for s in starts] == results.variables
    body = out[2:out.index("")]
    assert len(body) > len(results)  # long source titles wrap onto extra lines
    for line in body:
        for s in starts[1:]:
            assert line[s - 2:s] == "  " or len(line) <= s - 2, line  # no cell runs into the next column
    last = starts[-1]
    assert max(len(line) - last for line in body) <= 48
    text = " ".join(" ".join(line[last:].split()) for line in body)
    for row in results:
        assert row["source_title"].split()[0] in text
    assert out[-1].endswith("it is not clinical advice.") and out[-1].startswith(f"{len(results)} rows.")


def test_per_column_limits_and_headerless_tables() -> None:
    table = text_table(None, [["a", "one two three four"], ["bb", "x"]], max_width=[None, 9])
    assert table.splitlines() == ["a   one two", "    three", "    four", "bb  x"]


def test_markdown_table_escapes_pipes_and_backslashes() -> None:
    md = markdown_table(["name", "value"], [["a|b", "c\\d"]]).splitlines()
    assert md[0] == "| name | value |"
    assert md[1] == "|------|-------|"
    assert md[2] == "| a\\|b | c\\\\d  |"
