"""Conversion and validation on Dask, with the guarantees of ``xformat convert``.

>>> import dask
>>> import xformat.dask as xd
>>> records = xd.read_lines(["archive/"], blocksize="64MiB")   # exact file:line origins
>>> done = xd.convert(records, "activity")
>>> lines, rejects, summary = dask.compute(done.lines, done.rejects, done.summary)
>>> checked = xd.validate(records)
>>> invalid, counts = dask.compute(checked.invalid, checked.summary)

The functions take a Dask bag of raw lines: what ``read_lines`` gives (records of xformat's own
reader), or what ``dask.bag.read_text`` gives: ``str`` lines, or ``(line, path)`` pairs with
``include_path=True``. Nothing is silently dropped: each record read is a converted line, a
counted non-post (deletions are converted; info lines and keep-alives are counted) or a reject
that keeps its origin (file or partition, line, reason, JSON path, original text) in the shape
of the CLI's rejects file; the summary (``xformat.summary.Summary``) balances.

Line numbers of ``read_text`` bags count from the start of each partition: they are the files'
lines only with one partition per file (``blocksize=None``, the default, and what compressed
files force anyway). ``read_lines`` keeps them exact also when it cuts large files into blocks.

Needs the ``dask`` extra: ``pip install 'xformat[dask]'``.
"""

from __future__ import annotations

from xformat.errors import UsageError


class DaskMissing(UsageError, ImportError):
    """The ``dask`` extra is not installed (an ``ImportError`` too, for code that probes for it)."""


def missing(exc: ImportError) -> DaskMissing:
    package = (exc.name or "dask").split(".")[0]
    return DaskMissing(f"{package} is not installed: pip install 'xformat[dask]'")


try:
    import dask.bag  # noqa: F401 - here only to fail early, with the message above
except ImportError as exc:
    raise missing(exc) from None

from xformat.dask.conversion import Conversion, convert, merged  # noqa: E402
from xformat.dask.lines import read_lines  # noqa: E402
from xformat.dask.validation import Validation, validate  # noqa: E402

__all__ = ["Conversion", "DaskMissing", "Validation", "convert", "merged", "read_lines", "validate"]
