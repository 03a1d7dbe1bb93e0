"""Real X API v2 captures (``../shared/realdata/v2``) re-paged: ``convert --to v2 --v2-pages N``.

Every file goes through with no reject; every page written is a valid v2 page (``xformat
validate`` and the schema); the pages hold the posts of the input, in its order; and read back,
they give the same native posts as the input does. Skipped, saying why, when the folder is
absent (a fresh clone has no real data).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.conftest import REALDATA
from xformat.cli import main
from xformat.registry import validator_for

FOLDER = REALDATA / "v2"
FILES = sorted(p.name for p in FOLDER.glob("*.jsonl")) if FOLDER.is_dir() else []
SIZE = 7
"""Posts a page: fewer than a real page holds, so that pages are cut across records."""

pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason=f"no real v2 data at {FOLDER}")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def post_ids(record: dict[str, Any]) -> list[str]:
    """The ids of a record's own posts: a page's or stream line's ``data``, a flattened post's id
    (a compliance job's ``data`` is no post)."""
    if "data" not in record:
        return [record["id"]] if "text" in record else []
    data = record["data"]
    posts = data if isinstance(data, list) else [data]
    return [post["id"] for post in posts if "text" in post]


def summary_of(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_bytes())
    assert isinstance(data, dict)
    return data


def test_there_is_real_v2_data() -> None:
    assert any(name.startswith("twarc2_") for name in FILES)


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_re_pages_with_every_post_in_a_valid_page(name: str, tmp_path: Path) -> None:
    source = FOLDER / name
    pages_file, summary_file = tmp_path / "pages.ndjson", tmp_path / "summary.json"
    result = cli("convert", "--to", "v2", "--v2-pages", str(SIZE), str(source), "-o", str(pages_file),
                 "--summary-json", str(summary_file), "-q")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    summary = summary_of(summary_file)
    assert summary["rejected"] == 0

    ids_in = [post_id for line in source.read_bytes().splitlines() for post_id in post_ids(json.loads(line))]
    pages = [json.loads(line) for line in pages_file.read_bytes().splitlines()]
    ids_out = [post["id"] for page in pages for post in page["data"]]
    assert ids_out == ids_in
    assert summary["converted"] + summary["page_posts"] == len(ids_in)
    assert all(len(page["data"]) <= SIZE and page["meta"]["result_count"] == len(page["data"]) for page in pages)
    page_schema = validator_for("v2-page")
    for page in pages:
        assert page_schema.is_valid(page)
    if pages:
        checked = cli("validate", "--format", "v2", str(pages_file))
        assert checked.exit_code == 0, checked.stderr


@pytest.mark.parametrize("name", [name for name in FILES if "compliance" not in name])
def test_real_pages_read_back_as_the_input_does(name: str, tmp_path: Path) -> None:
    source, pages_file = FOLDER / name, tmp_path / "pages.ndjson"
    direct, through = tmp_path / "direct.ndjson", tmp_path / "through.ndjson"
    assert cli("convert", "--to", "v2", "--v2-pages", "100", str(source), "-o", str(pages_file), "-q").exit_code == 0
    assert cli("convert", "--to", "native", str(source), "-o", str(direct), "-q").exit_code == 0
    assert cli("convert", "--to", "native", str(pages_file), "-o", str(through), "-q").exit_code == 0
    assert through.read_bytes() == direct.read_bytes()
