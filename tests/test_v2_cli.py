"""X API v2 through every command: convert (from and to v2), validate, ids, comply, export, losses,
schemas, and the library's read and iter_posts. Records are the hand-written golden v2 cases,
put together into pages here."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import xformat
from tests.conftest import GOLDEN_V2, golden_v2_cases, load_json
from tests.test_kinds import layouts
from tests.v2_strategies import flatten
from xformat.cli import main
from xformat.registry import validator_for

QUOTE, PLACE, RETWEET, REPLY = "quote", "place", "retweet", "reply"
QUOTED_ID = "1635659405456312402"  # the post the quote case quotes, and the retweet case retweets
MIRA = "645881537098680385"  # its author
HARBOR = "453175883985847314"  # author of the quote, the place and the retweet cases


def cli(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def line(case: str, name: str = "v2.json") -> dict[str, Any]:
    data = load_json(GOLDEN_V2 / case / name)
    assert isinstance(data, dict)
    return data


def page(*cases: str, errors: int = 0) -> dict[str, Any]:
    """A search page of the posts of these cases (as a page holds them: each object once)."""
    lines = [line(case) for case in cases]
    includes: dict[str, list[Any]] = {}
    for one in lines:
        for group, items in one.get("includes", {}).items():
            have = includes.setdefault(group, [])
            have += [item for item in items if item not in have]
    out: dict[str, Any] = {"data": [one["data"] for one in lines], "includes": includes}
    if errors:
        out["errors"] = [
            {"resource_id": str(n), "resource_type": "tweet", "title": "Not Found Error", "type": "https://api.x.com/2/problems/resource-not-found", "detail": f"Could not find tweet with id: [{n}].", "parameter": "ids", "value": str(n)}  # noqa: E501
            for n in range(1, errors + 1)
        ]
    ids = [one["data"]["id"] for one in lines]
    out["meta"] = {"result_count": len(lines), "newest_id": ids[0], "oldest_id": ids[-1]}
    return out


def ndjson(path: Path, *records: Any) -> str:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return str(path)


def lines_of(path: Path) -> list[Any]:
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]


def expected_native(case: Path) -> Any:
    name = "native.expected.json" if (case / "native.expected.json").exists() else "native.json"
    return load_json(case / name)


def expected_v2(case: Path) -> Any:
    name = "v2.expected.json" if (case / "v2.expected.json").exists() else "v2.json"
    return load_json(case / name)


# --- convert ------------------------------------------------------------------------------------


def test_every_golden_case_converts_through_the_pipeline_both_ways(tmp_path: Path) -> None:
    cases = golden_v2_cases()
    source = ndjson(tmp_path / "v2.ndjson", *(load_json(case / "v2.json") for case in cases))
    summary = tmp_path / "summary.json"
    result = cli("convert", "--to", "native", source, "-o", str(tmp_path / "en.ndjson"), "--summary-json", str(summary))
    assert result.exit_code == 0, result.stderr
    assert lines_of(tmp_path / "en.ndjson") == [expected_native(case) for case in cases]
    counts = json.loads(summary.read_text())
    assert (counts["read"], counts["pages"], counts["page_posts"], counts["rejected"]) == (18, 18, 18, 0)
    # The tombstone case's line says, in errors, why its original is missing: counted.
    assert counts["api_errors"] == sum(len(load_json(case / "v2.json").get("errors", [])) for case in cases) > 0

    natives = ndjson(tmp_path / "en-in.ndjson", *(load_json(case / "native.json") for case in cases))
    result = cli("convert", "--to", "v2", natives, "-o", str(tmp_path / "v2.out.ndjson"))
    assert result.exit_code == 0, result.stderr
    assert lines_of(tmp_path / "v2.out.ndjson") == [expected_v2(case) for case in cases]


def test_v2_to_activity_streams_and_back(tmp_path: Path) -> None:
    # activity.json is the reply written by hand in Activity Streams (docs/MAPPING.md): what AS
    # cannot hold (reply and quote counts, possibly_sensitive) is a declared loss.
    source = ndjson(tmp_path / "reply.ndjson", line(REPLY))
    summary = tmp_path / "summary.json"
    out = tmp_path / "as.ndjson"
    result = cli("convert", "--to", "as", source, "-o", str(out), "--summary-json", str(summary))
    assert result.exit_code == 0, result.stderr
    assert lines_of(out) == [line(REPLY, "activity.json")]
    assert json.loads(summary.read_text())["losses"] == {"possibly_sensitive": 1, "quote_count": 1, "reply_count": 1}

    back = tmp_path / "back.ndjson"
    assert cli("convert", "--to", "v2", str(out), "-o", str(back)).exit_code == 0
    expected = line(REPLY)  # the v2 line, less what the activity could not hold
    del expected["data"]["possibly_sensitive"]
    del expected["data"]["public_metrics"]["reply_count"], expected["data"]["public_metrics"]["quote_count"]
    assert lines_of(back) == [expected]


def test_a_page_gives_each_post_with_its_includes_and_counts_what_is_no_post(tmp_path: Path) -> None:
    empty = {"meta": {"result_count": 0}}
    errors_only = {"errors": [{"title": "operational-disconnect", "type": "https://api.x.com/2/problems/operational-disconnect", "detail": "This stream has been disconnected."}]}  # noqa: E501
    bad_type = {"data": [{"id": 5, "text": "an id must be a string"}], "meta": {"result_count": 1}}
    source = ndjson(
        tmp_path / "pages.jsonl",
        page(QUOTE, PLACE, errors=2),
        empty,
        errors_only,
        '{"data": [',  # cut short
        bad_type,
        line(RETWEET),
    )
    out, rejects, summary = tmp_path / "en.ndjson", tmp_path / "rejects.jsonl", tmp_path / "summary.json"
    result = cli("convert", "--to", "native", source, "-o", str(out), "--rejects", str(rejects),
                 "--summary-json", str(summary))  # fmt: skip
    assert result.exit_code == 1, result.stderr
    written = lines_of(out)
    # Each post as its own record, what it references resolved from the page's includes.
    assert written == [load_json(GOLDEN_V2 / case / "native.json") for case in (QUOTE, PLACE, RETWEET)]
    counts = json.loads(summary.read_text())
    names = ("read", "converted", "pages", "page_posts", "api_errors", "non_posts", "rejected")
    assert {k: counts[k] for k in names} == {
        "read": 6, "converted": 0, "pages": 3, "page_posts": 3, "api_errors": 3, "non_posts": 1, "rejected": 2
    }  # fmt: skip
    found = [(r["source"], r["line"], r["path"]) for r in lines_of(rejects)]
    assert found == [(source, 4, "$"), (source, 5, "$.data[0].id")]
    assert "malformed JSON" in lines_of(rejects)[0]["reason"]
    assert "3 pages of X API v2 holding 3 posts" in result.stderr


def test_twarc2_flattened_lines_are_posts(tmp_path: Path) -> None:
    twarc = {"url": "https://api.x.com/2/tweets/search/recent?query=lanterns", "version": "2.13.0", "retrieved_at": "2023-03-15T18:00:00+00:00"}  # noqa: E501
    flat = [post | {"__twarc": twarc} for post in flatten(page(QUOTE, PLACE))]
    source = ndjson(tmp_path / "flat.jsonl", *flat)
    out = tmp_path / "en.ndjson"
    result = cli("convert", "--to", "native", source, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    posts = lines_of(out)
    assert [p["id_str"] for p in posts] == [line(QUOTE)["data"]["id"], line(PLACE)["data"]["id"]]
    assert posts[0]["quoted_status"]["user"]["id_str"] == MIRA  # the inlined quoted post and its author
    assert posts[1]["place"]["full_name"] == "Saltmarsh Bay, ME"
    assert "2 posts and 0 deletions converted" in result.stderr


def test_a_bad_flattened_line_is_rejected_not_read_as_an_empty_page(tmp_path: Path) -> None:
    twarc = {"url": "https://api.x.com/2/tweets/search/recent", "version": "2.13.0", "retrieved_at": "2023-03-15T18:00:00+00:00"}  # noqa: E501
    flat = flatten(page(QUOTE))[0] | {"__twarc": twarc, "author_id": 5}
    source = ndjson(tmp_path / "flat.jsonl", flat)
    rejects = tmp_path / "rejects.jsonl"
    result = cli("convert", "--to", "native", source, "-o", str(tmp_path / "out.ndjson"), "--rejects", str(rejects))
    assert result.exit_code == 1
    assert [(r["line"], r["path"]) for r in lines_of(rejects)] == [(1, "$.author_id")]


def test_lossless_and_strict_work_for_v2_as_for_the_other_directions(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", line(QUOTE), line("full_post"))
    there, back = tmp_path / "en.ndjson", tmp_path / "v2.ndjson"
    assert cli("convert", "--to", "native", "--lossless", source, "-o", str(there)).exit_code == 0
    assert cli("convert", "--to", "v2", str(there), "-o", str(back)).exit_code == 0
    assert lines_of(back) == [line(QUOTE), line("full_post")]

    strict = cli("convert", "--to", "native", "--strict", source, "-o", str(tmp_path / "strict.ndjson"))
    assert strict.exit_code == 1  # full_post loses what native has no place for (its losses.json)
    assert "1 page of X API v2 holding 1 post" in strict.stderr and "1 rejected" in strict.stderr


def test_deletions_have_no_v2_form_and_are_counted(tmp_path: Path) -> None:
    deletion = load_json(GOLDEN_V2.parent / "deletion_notice" / "native.json")
    source = ndjson(tmp_path / "in.ndjson", line(REPLY, "native.json"), line(REPLY, "activity.json"), deletion)
    out, summary = tmp_path / "out.ndjson", tmp_path / "summary.json"
    result = cli("convert", "--to", "v2", source, "-o", str(out), "--summary-json", str(summary))
    assert result.exit_code == 0, result.stderr
    written = lines_of(out)
    assert len(written) == 2 and all(validator_for("v2-stream-line").is_valid(w) for w in written)
    counts = json.loads(summary.read_text())
    assert (counts["converted"], counts["deletions"], counts["not_converted"]) == (2, 1, 1)
    assert counts["losses"]["no_v2_form"] == 1


def test_each_v2_kind_is_found_from_its_content_in_any_member_order() -> None:
    twarc = {"url": "https://api.x.com/2/tweets/search/recent", "version": "2.13.0", "retrieved_at": "2023-03-15T18:00:00+00:00"}  # noqa: E501
    records = {
        "page": page(QUOTE, PLACE) | {"__twarc": twarc},
        "stream-line": line("matching_rules"),
        "post": flatten(page(QUOTE))[0] | {"__twarc": twarc},
        "errors": {"errors": [{"title": "operational-disconnect", "type": "about:blank"}]},
    }
    for kind, record in records.items():
        for raw in layouts(record):
            decoded = xformat.decode(raw)
            assert (decoded.format, decoded.kind, decoded.unknown) == ("v2", kind, ()), raw[:80]


# --- validate -----------------------------------------------------------------------------------


def test_validate_reads_v2_and_gives_line_and_path(tmp_path: Path) -> None:
    broken = page(QUOTE, PLACE)
    broken["data"][1]["public_metrics"]["like_count"] = "eight"
    source = ndjson(tmp_path / "pages.jsonl", page(QUOTE, PLACE), broken, {"meta": {"result_count": 0}})
    result = cli("validate", source)
    assert result.exit_code == 1
    assert f"{source}:2: $.data[1].public_metrics.like_count:" in result.stdout
    assert "3 records: 2 valid" in result.stderr and "2 X API v2 pages" in result.stderr


# --- ids and comply -----------------------------------------------------------------------------


def test_ids_of_v2_pages(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "pages.jsonl", page(QUOTE, PLACE), line(RETWEET))
    own = [line(QUOTE)["data"]["id"], line(PLACE)["data"]["id"], line(RETWEET)["data"]["id"]]
    assert cli("ids", source).stdout.split() == own
    assert cli("ids", "--embedded", source).stdout.split() == [*own[:2], QUOTED_ID, own[2]]
    assert cli("ids", "--users", source).stdout.split() == [HARBOR]
    assert cli("ids", "--users", "--embedded", source).stdout.split() == [HARBOR, MIRA]


def comply(tmp_path: Path, records: list[Any], *results: dict[str, str]) -> tuple[Result, list[Any], dict[str, Any]]:
    source = ndjson(tmp_path / "in.jsonl", *records)
    found = ndjson(tmp_path / "results.jsonl", *results)
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    result = cli("comply", "--results", found, source, "-o", str(out), "--report", str(report))
    return result, lines_of(out), json.loads(report.read_text())


def test_comply_removes_posts_from_data_and_includes_and_scrubs_geo_with_its_place(tmp_path: Path) -> None:
    result, written, report = comply(
        tmp_path,
        [page(QUOTE, PLACE, errors=1), line(RETWEET)],
        {"id": QUOTED_ID, "action": "delete", "reason": "deleted"},
        {"id": line(PLACE)["data"]["id"], "action": "scrub_geo"},
    )
    assert result.exit_code == 0, result.stderr
    # Written by hand: the quote stays without its copy of the removed post (nor its author,
    # whom nothing else references); the place post loses geo, and the page the place no other
    # post uses; the Retweet of the removed post leaves with it.
    expected = page(QUOTE, PLACE, errors=1)
    del expected["data"][1]["geo"]
    expected["includes"] = {"users": [user for user in expected["includes"]["users"] if user["id"] == HARBOR]}
    assert written == [expected]
    assert (report["kept"], report["removed_by_reason"], report["scrubbed"], report["embedded_copies_removed"]) == (
        2, {"retweet_of_removed": 1}, 1, 1
    )  # fmt: skip
    assert (report["read"], report["v2_pages"]) == (3, 2)  # a page counts as its posts


def test_comply_removes_a_users_posts_and_the_record_that_keeps_none(tmp_path: Path) -> None:
    errors_only = {"errors": [{"title": "operational-disconnect", "type": "about:blank"}]}
    source = [page(QUOTE, PLACE), line(REPLY), errors_only]
    removal = {"id": line(PLACE)["data"]["id"], "action": "delete", "reason": "deleted"}
    result, written, report = comply(tmp_path, source, removal)
    assert result.exit_code == 0, result.stderr
    expected = page(QUOTE)
    expected["includes"]["users"] = page(QUOTE, PLACE)["includes"]["users"]  # both still referenced
    expected["meta"] = page(QUOTE, PLACE)["meta"] | {"result_count": 1}
    assert written == [expected, line(REPLY), errors_only]
    assert (report["removed_by_reason"], report["non_posts"]) == ({"deleted": 1}, 1)

    users = tmp_path / "users.jsonl"
    ndjson(users, {"id": HARBOR, "action": "delete", "reason": "suspended"})
    out = tmp_path / "out2.jsonl"
    result = cli("comply", "--results", str(tmp_path / "results.jsonl"), "--users-results", str(users),
                 str(tmp_path / "in.jsonl"), "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    reply = copy.deepcopy(line(REPLY))  # Mira's reply to Harbor stays, without Harbor's user object
    reply["includes"]["users"] = [u for u in reply["includes"]["users"] if u["id"] != HARBOR]
    assert lines_of(out) == [reply, errors_only]


# --- library, export, catalog, schemas ------------------------------------------------------------


def test_read_and_iter_posts_give_native_posts_of_v2(tmp_path: Path) -> None:
    post = xformat.read(json.dumps(line(QUOTE)))
    assert (post.post_type, post.author_id, post.quoted_post is not None) == ("quote", HARBOR, True)
    with pytest.raises(xformat.RecordError, match="a page of 2 posts"):
        xformat.read(json.dumps(page(QUOTE, PLACE)))
    source = ndjson(tmp_path / "pages.jsonl", page(QUOTE, PLACE), {"meta": {"result_count": 0}}, line(RETWEET))
    assert [p.post_type for p in xformat.iter_posts(source)] == ["quote", "original", "retweet"]
    converted = xformat.to_v2(line(REPLY, "native.json"))
    assert (converted.to_dict(), converted.losses) == (line(REPLY), ())


def test_export_gives_a_row_per_post_of_a_page(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "pages.jsonl", page(QUOTE, PLACE), line(QUOTE))
    result = cli("export", source, "-o", str(tmp_path / "posts.csv"), "--columns", "id,author_id")
    assert result.exit_code == 0, result.stderr
    rows = (tmp_path / "posts.csv").read_text(encoding="utf-8").splitlines()
    assert rows == ["id,author_id", f"{line(QUOTE)['data']['id']},{HARBOR}", f"{line(PLACE)['data']['id']},{HARBOR}"]
    assert "1 duplicate left out" in result.stderr


def test_the_catalog_and_the_registry_list_v2() -> None:
    listed = cli("losses").stdout
    assert "#### Enriched Native -> X API v2" in listed and "#### X API v2 -> Enriched Native" in listed
    schemas = cli("schema", "list").stdout
    for name in ("v2-page", "v2-stream-line", "v2-flat-post", "v2-compliance-jobs", "v2-compliance-result"):
        assert name in schemas
