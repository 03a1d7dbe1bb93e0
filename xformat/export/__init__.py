"""Analysis-ready tables of posts of any format xformat reads: Parquet or CSV, and the stats of a data set.

>>> from xformat.export import collect_stats, export
>>> summary = export(["archive/"], "posts.parquet")       # or posts.csv, posts.csv.gz
>>> summary.rows, summary.duplicates, summary.rejected
>>> print(collect_stats(["archive/"]).text())             # what the data set holds

One row per post, built from the native ``Post`` and where its record was read
(``xformat.export.columns``); duplicates (a post id seen again) left out and counted;
deletions, compliance events and info lines counted and left out; rejects as in ``convert``.
"""

from __future__ import annotations

from xformat.export.columns import BY_NAME, COLUMNS, Column, markdown_table
from xformat.export.csv_table import join_list, split_list
from xformat.export.run import export, table_format
from xformat.export.stats import Stats, collect_stats
from xformat.export.summary import Counts, ExportSummary

__all__ = [
    "BY_NAME",
    "COLUMNS",
    "Column",
    "Counts",
    "ExportSummary",
    "Stats",
    "collect_stats",
    "export",
    "join_list",
    "markdown_table",
    "split_list",
    "table_format",
]
