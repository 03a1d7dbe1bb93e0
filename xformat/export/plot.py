"""Posts per day, stacked by type, as a picture (matplotlib, the ``plot`` extra)."""

from __future__ import annotations

import io
from pathlib import Path

from xformat.errors import UsageError
from xformat.export.run import missing_extra
from xformat.export.stats import Stats
from xformat.output import AtomicFile, open_target

TYPES = ("original", "reply", "quote", "retweet")


def plot_days(stats: Stats, path: str) -> None:
    """Draw ``stats``' posts per UTC day, by type, into ``path`` (PNG, or SVG or PDF by its name)."""
    try:
        # A Figure of its own, not pyplot's: no display, and no global state to change.
        import numpy
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator, StrMethodFormatter
    except ImportError:
        raise missing_extra("--plot", "matplotlib", "plot") from None
    per_day = stats.per_day()
    days = numpy.array(list(per_day), dtype="datetime64[D]")
    figure = Figure(figsize=(10, 4.5), layout="constrained")
    axes = figure.add_subplot()
    bottom = [0] * len(days)
    for index, post_type in enumerate(TYPES):
        heights = [types.get(post_type, 0) for types in per_day.values()]
        if any(heights):  # each type keeps its colour whichever others are there
            axes.bar(days, heights, bottom=bottom, width=0.9, align="edge", label=post_type, color=f"C{index}")
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    axes.set_ylabel("posts")
    axes.set_xlabel("day (UTC)")
    axes.set_title(f"{stats.counts.rows:,} posts per day, by type")
    if len(days):
        handles, labels = axes.get_legend_handles_labels()  # listed as stacked: the top one first
        axes.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    kind = Path(path).suffix.lower().lstrip(".") or "png"
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format=kind)
    except ValueError as exc:
        raise UsageError(f"cannot draw {path}: {exc}") from None
    target = open_target(Path(path))
    try:
        target.write(buffer.getvalue())
    except BaseException:
        if isinstance(target, AtomicFile):
            target.discard()
        raise
    if isinstance(target, AtomicFile):
        target.commit()
    else:
        target.close()
