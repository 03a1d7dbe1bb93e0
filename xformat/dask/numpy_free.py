"""Imported first by each process of ``xformat convert --dask``'s local cluster: keeps NumPy out.

``distributed`` imports NumPy whenever it is installed, to allocate the buffers of arrays it
receives; a conversion sends no arrays (lines, rejects and summaries are plain Python objects).
Importing NumPy, with the threads of its linear algebra library, costs a process 0.1 to 0.2 s
of CPU, and at a local cluster's start every process imports at once, on the same cores: the
command, and the fork server its workers are forked from. With NumPy marked absent,
``distributed`` takes its own fallbacks. A process that has imported NumPy already keeps it.

Only the command and the fork server import this module (``xformat.cli.dask_run``): importing
it is what it does.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]  # None makes ``import numpy`` fail
