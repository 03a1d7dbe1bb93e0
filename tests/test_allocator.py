"""The command's allocator tuning: the pipeline's megabyte buffers reuse memory, not fresh pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from xformat import allocator
from xformat.records import DEFAULT_MAX_RECORD_BYTES

# Converts a 13 MB feed in one process and prints the page faults the run took.
_FAULTS = """
import resource, sys
from pathlib import Path
from tests.feeds import native_lines, ndjson
from xformat.allocator import keep_buffers_in_heap
from xformat.output import open_output
from xformat.pipeline import Settings, run
from xformat.records import Reader
from xformat.rejects import Rejects

mode, tmp = sys.argv[1], Path(sys.argv[2])
if mode == "tuned" and not keep_buffers_in_heap():
    sys.exit(3)
source = tmp / f"{mode}.ndjson"
source.write_bytes(ndjson(native_lines() * 2000))
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
run(Reader([str(source)]), Settings("activity"), open_output(str(tmp / f"{mode}.out")), Rejects(None, None))
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str, tmp_path: Path) -> int:
    root = Path(__file__).resolve().parent.parent
    cmd = [sys.executable, "-c", _FAULTS, mode, str(tmp_path)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=root)
    if done.returncode == 3:
        pytest.skip("no glibc mallopt here")
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_a_tuned_run_takes_far_fewer_page_faults(tmp_path: Path) -> None:
    default, tuned = _faults("default", tmp_path), _faults("tuned", tmp_path)
    assert tuned * 4 < default


def test_records_up_to_the_default_limit_stay_in_the_heap() -> None:
    assert allocator.MMAP_THRESHOLD > DEFAULT_MAX_RECORD_BYTES
