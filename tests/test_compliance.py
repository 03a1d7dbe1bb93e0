"""Compliance results applied to synthetic data sets of both formats (invented people, ids, texts)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import msgspec
import pytest

from tests.samples import USER, native_post
from xformat.compliance import (
    DELETION_NOTICE,
    RETWEET_OF_REMOVED,
    SHOWN,
    Actions,
    Report,
    apply,
    load_results,
)
from xformat.compliance_events import data_actions
from xformat.convert import to_activity, to_native
from xformat.decoding import decode
from xformat.errors import ComplianceError
from xformat.models import Activity, Post
from xformat.records import Record

FORMATS = ("native", "activity")


def user(uid: str, name: str, screen_name: str) -> dict[str, Any]:
    return {**USER, "id": int(uid), "id_str": uid, "name": name, "screen_name": screen_name}


INES = user("900000000000000001", "Ines Vardøy", "ines_vardoy")
KOFI = user("900000000000000002", "Kofi Brandt", "kofi_brandt")
SOL = user("900000000000000003", "Sol Amaral", "sol_amaral")
PLACE = {
    "id": "5c1e0a7d9b3f4e21",
    "url": "https://api.twitter.com/1.1/geo/id/5c1e0a7d9b3f4e21.json",
    "place_type": "poi",
    "name": "Quillhaven Ferry Pier",
    "full_name": "Quillhaven Ferry Pier",
    "country_code": "NO",
    "country": "Norway",
    "bounding_box": {"type": "Polygon", "coordinates": [[[10.1, 59.9], [10.1, 59.9], [10.1, 59.9], [10.1, 59.9]]]},
    "attributes": {},
}
NO_ENTITIES: dict[str, list[Any]] = {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}


def post(pid: str, author: dict[str, Any], text: str = "Fog over the ferry pier again", **extra: Any) -> dict[str, Any]:
    """A native original post (valid per ``xformat.models.Post``)."""
    return native_post(
        **{"id": int(pid), "id_str": pid, "user": author, "text": text, "entities": NO_ENTITIES, **extra}
    )


GEO_FIELDS: dict[str, Any] = {
    "geo": {"type": "Point", "coordinates": [59.91, 10.12]},
    "coordinates": {"type": "Point", "coordinates": [10.12, 59.91]},
    "place": PLACE,
}


def located(pid: str, author: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A post with exact coordinates and a place."""
    return post(pid, author, **(GEO_FIELDS | extra))


def retweet(pid: str, author: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    text = f"RT @{original['user']['screen_name']}: {original['text']}"
    return post(pid, author, text, retweeted_status=original)


def quote(pid: str, author: dict[str, Any], quoted: dict[str, Any], **extra: Any) -> dict[str, Any]:
    qid = quoted["id_str"]
    return post(
        pid,
        author,
        "This, exactly",
        is_quote_status=True,
        quoted_status_id=int(qid),
        quoted_status_id_str=qid,
        quoted_status=quoted,
        **extra,
    )


def deletion(pid: str, uid: str) -> dict[str, Any]:
    status = {"id": int(pid), "id_str": pid, "user_id": int(uid), "user_id_str": uid}
    return {"delete": {"status": status, "timestamp_ms": "1539205200000"}}


def in_format(record: dict[str, Any], fmt: str) -> dict[str, Any]:
    """``record`` (native) in ``fmt``; activities are made by xformat's converter."""
    return record if fmt == "native" else to_activity(record).to_dict()


def lines(records: Iterable[dict[str, Any]], fmt: str) -> list[bytes]:
    return [msgspec.json.encode(in_format(r, fmt)) for r in records]


def as_records(raw: list[bytes], source: str = "data.ndjson") -> list[Record]:
    return [Record(source, i, line) for i, line in enumerate(raw, 1)]


def results(*items: dict[str, str], users: bool = False) -> Actions:
    return load_results([json.dumps(item) for item in items], users=users)


def comply(raw: list[bytes], actions: Actions) -> tuple[list[bytes], Report]:
    """What ``xformat comply`` does with one file: the data's deletion notices and events merged,
    then the results applied."""
    records = as_records(raw)
    signals = data_actions(records)
    report = Report(undone=signals.undone)
    out = list(apply(records, actions.merge(signals.actions), report))
    passed = report.deletions + report.events + report.info + report.system + report.keepalives
    assert report.read == report.kept + sum(report.removed.values()) + passed
    return out, report


def ids_of(out: list[bytes]) -> list[str]:
    """Post ids of the posts written (deletion notices left out)."""
    posts = [json.loads(line) for line in out if decode(line).kind == "post"]
    return [r["id_str"] if "id_str" in r else r["id"].rsplit(":", 1)[1] for r in posts]


def test_helpers_build_valid_records_of_both_formats() -> None:
    native = [located("1", INES), retweet("2", KOFI, post("3", SOL)), quote("4", SOL, located("5", INES))]
    for record in native:
        msgspec.json.decode(msgspec.json.encode(record), type=Post)
        msgspec.json.decode(msgspec.json.encode(in_format(record, "activity")), type=Activity)


# -- results ------------------------------------------------------------------------------------


def test_results_name_removals_and_scrubs_in_action_or_reason() -> None:
    actions = results(
        {"id": "11", "action": "delete", "created_at": "2023-01-02T03:04:05.000Z", "reason": "deleted"},
        {"id": "12", "action": "delete", "reason": "suspended", "redacted_at": "2023-02-01T00:00:00.000Z"},
        {"id": "13", "action": "scrub_geo"},
        {"id": "14", "action": "delete", "reason": "scrub_geo"},
        {"id": "15", "reason": "scrub_geo"},
        {"id": "15", "reason": "protected"},  # removing the post wins over scrubbing it
        {"id": "16", "action": "scrub_geo", "reason": "deactivated"},  # the reason names the event
    )
    assert actions.removed_posts == {"11": "deleted", "12": "suspended", "15": "protected", "16": "deactivated"}
    assert actions.scrubbed_posts == {"13", "14"}
    assert not actions.removed_users and not actions.scrubbed_users


def test_user_results_name_users() -> None:
    actions = results({"id": "900", "reason": "suspended"}, {"id": "901", "action": "scrub_geo"}, users=True)
    assert actions.removed_users == {"900": "suspended"} and actions.scrubbed_users == {"901"}
    assert not actions.removed_posts and not actions.scrubbed_posts


def test_malformed_result_lines_are_all_listed_with_their_line_numbers() -> None:
    text = [
        '{"id": "1", "reason": "deleted"}',
        "",
        '{"id": "2", "reason": "deleted"',
        '{"action": "delete", "reason": "deleted"}',
        '{"id": "3", "reason": "vanished"}',
        '{"id": "4", "action": "hide", "reason": "deleted"}',
        '{"id": "abc", "reason": "deleted"}',
        '{"id": 5, "reason": "deleted"}',
        '{"id": "6", "action": "delete"}',
        '["7"]',
    ]
    with pytest.raises(ComplianceError) as caught:
        load_results(text, source="r.jsonl")
    message = str(caught.value)
    assert message.startswith("8 malformed result lines; nothing applied:")
    for number, words in [
        (3, "malformed"),
        (4, "missing required field 'id'"),
        (5, "unknown reason 'vanished'"),
        (6, "unknown action 'hide'"),
        (7, "not a decimal id"),
        (8, "expected a string, got an integer"),
        (9, "no reason"),
        (10, "expected an object"),
    ]:
        assert f"r.jsonl:{number}: " in message and words in message
    assert "r.jsonl:1:" not in message and "r.jsonl:2:" not in message


def test_a_long_list_of_problems_is_cut_and_counted() -> None:
    with pytest.raises(ComplianceError, match=r"\n  … and 5 more$"):
        load_results(["{}"] * (SHOWN + 5))


# -- removals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_user_event_removes_their_posts_across_the_file(fmt: str) -> None:
    data = lines(
        [
            post("101", INES),
            post("102", KOFI),
            retweet("103", SOL, post("104", KOFI)),
            post("105", KOFI),
            quote("106", INES, post("107", KOFI)),
            post("108", SOL),
        ],
        fmt,
    )
    out, report = comply(data, results({"id": KOFI["id_str"], "reason": "suspended"}, users=True))
    assert ids_of(out) == ["101", "106", "108"]
    assert out[0] == data[0] and out[2] == data[5]  # untouched records: byte for byte
    assert report.removed == {"suspended": 2, RETWEET_OF_REMOVED: 1}
    assert report.copies_removed == 1 and report.kept == 3
    assert report.users_not_in_data == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_retweet_of_a_deleted_post_is_removed(fmt: str) -> None:
    data = lines([post("201", INES), retweet("202", KOFI, post("201", INES)), post("203", KOFI)], fmt)
    out, report = comply(data, results({"id": "201", "action": "delete", "reason": "deleted"}))
    assert out == [data[2]]
    assert report.removed == {"deleted": 1, RETWEET_OF_REMOVED: 1}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_quote_of_a_deleted_post_stays_without_the_copy(fmt: str) -> None:
    quoted = post("301", SOL, "Tide tables for the week")
    data = lines([quote("302", INES, quoted), post("303", KOFI)], fmt)
    out, report = comply(data, results({"id": "301", "reason": "deleted"}))
    assert report.copies_removed == 1 and report.kept == 2 and not report.removed
    kept = json.loads(out[0])
    if fmt == "native":
        assert "quoted_status" not in kept
        assert kept["quoted_status_id_str"] == "301" and kept["is_quote_status"] is True
    else:
        assert "twitter_quoted_status" not in kept
    assert decode(out[0]).kind == "post"  # still a valid record
    assert b"Tide tables" not in out[0]
    assert out[1] == data[1]


def test_an_activity_quote_loses_the_unwound_urls_only_its_copy_had() -> None:
    unwound = {"url": "https://tides.example.org/week", "status": 200, "title": "Tide tables", "description": "Wk 41"}
    link: dict[str, Any] = {
        "url": "https://t.co/TideTbl01",
        "expanded_url": "https://tides.example.org/w",
        "display_url": "tides.example.org/w",
        "indices": [0, 23],
        "unwound": unwound,
    }
    own = {**link, "url": "https://t.co/OwnLink001", "unwound": {**unwound, "title": "Ferry times"}}
    quoted = post("311", SOL, "https://t.co/TideTbl01", entities={**NO_ENTITIES, "urls": [link]})
    outer = quote("312", INES, quoted, entities={**NO_ENTITIES, "urls": [own]})
    data = lines([outer], "activity")
    assert len(json.loads(data[0])["gnip"]["urls"]) == 2
    out, _ = comply(data, results({"id": "311", "reason": "protected"}))
    assert [u["url"] for u in json.loads(out[0])["gnip"]["urls"]] == ["https://t.co/OwnLink001"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_retweet_of_a_quote_keeps_the_quote_but_not_the_removed_copy_inside(fmt: str) -> None:
    gone = post("321", SOL, "Gone soon")
    data = lines([retweet("322", KOFI, quote("323", INES, gone))], fmt)
    out, report = comply(data, results({"id": SOL["id_str"], "reason": "deactivated"}, users=True))
    assert report.copies_removed == 1 and report.kept == 1
    assert b"Gone soon" not in out[0] and decode(out[0]).kind == "post"
    if fmt == "native":
        assert json.loads(out[0])["retweeted_status"]["quoted_status_id_str"] == "321"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_deletion_notice_in_the_data_removes_the_post_wherever_it_stands(fmt: str) -> None:
    data = lines([post("401", INES), retweet("402", KOFI, post("401", INES)), deletion("401", INES["id_str"])], fmt)
    out, report = comply(data, Actions())
    assert out == [data[2]]  # the notice passes through
    assert report.removed == {DELETION_NOTICE: 1, RETWEET_OF_REMOVED: 1} and report.deletions == 1
    assert report.posts_not_in_data == 0  # notices are not results


def test_results_naming_ids_absent_from_the_data_are_counted_and_harmless() -> None:
    data = lines([post("501", INES), quote("502", KOFI, post("503", SOL))], "native")
    actions = results(
        {"id": "503", "reason": "deleted"}, {"id": "599", "reason": "deleted"}, {"id": "598", "action": "scrub_geo"}
    )
    actions = actions.merge(
        results({"id": "999", "reason": "suspended"}, {"id": SOL["id_str"], "reason": "protected"}, users=True)
    )
    out, report = comply(data, actions)
    assert out[0] == data[0] and len(out) == 2
    assert (report.posts_not_in_data, report.users_not_in_data) == (2, 1)  # 503 is found embedded


# -- geo scrubs ----------------------------------------------------------------------------------


def geo_of(record: dict[str, Any], fmt: str) -> dict[str, Any]:
    names = ("coordinates", "geo", "place") if fmt == "native" else ("geo", "location")
    return {name: record.get(name) for name in names if record.get(name) is not None}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_scrub_inside_a_quoted_post_leaves_the_quote_s_own_geo(fmt: str) -> None:
    data = lines([quote("601", KOFI, located("602", INES), **GEO_FIELDS)], fmt)
    out, report = comply(data, results({"id": "602", "action": "scrub_geo"}))
    record = json.loads(out[0])
    inner = record["quoted_status" if fmt == "native" else "twitter_quoted_status"]
    assert geo_of(inner, fmt) == {} and geo_of(record, fmt) == geo_of(json.loads(data[0]), fmt) != {}
    if fmt == "native":
        assert inner["coordinates"] is None and inner["geo"] is None and inner["place"] is None
    else:
        assert "location" in inner["actor"]  # the profile's location is not the post's geo
    assert report.scrubbed == 1 and report.kept == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_user_scrub_reaches_their_posts_and_their_embedded_originals(fmt: str) -> None:
    own = located("701", INES)
    theirs = located("702", KOFI)
    data = lines(
        [own, retweet("703", KOFI, located("704", INES)), theirs, quote("705", SOL, located("706", INES))], fmt
    )
    out, report = comply(data, results({"id": INES["id_str"], "action": "scrub_geo"}, users=True))
    records = [json.loads(line) for line in out]
    assert geo_of(records[0], fmt) == {}
    assert geo_of(records[1]["retweeted_status" if fmt == "native" else "object"], fmt) == {}
    assert out[2] == data[2]  # someone else's geo stays, byte for byte
    assert geo_of(records[3]["quoted_status" if fmt == "native" else "twitter_quoted_status"], fmt) == {}
    assert report.scrubbed == 3 and report.kept == 4


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_scrub_of_a_post_without_geo_writes_it_unchanged(fmt: str) -> None:
    data = lines([post("801", INES)], fmt)
    out, report = comply(data, results({"id": "801", "action": "scrub_geo"}))
    assert out == data and report.scrubbed == 0 and report.posts_not_in_data == 0


def test_edited_records_keep_unknown_fields_and_untouched_ones_their_bytes() -> None:
    edited = json.loads(lines([located("901", INES)], "native")[0]) | {"flavour": "salty"}
    untouched = b'{"created_at": "Wed Oct 10 20:19:24 +0000 2018", "id_str": "902", "text": "caf\\u00e9",' + (
        b' "user": {"id_str": "1", "name": "A", "screen_name": "a"}, "entities": {"hashtags": []}}'
    )
    out, _ = comply([msgspec.json.encode(edited), untouched], results({"id": "901", "action": "scrub_geo"}))
    assert json.loads(out[0])["flavour"] == "salty" and json.loads(out[0])["place"] is None
    assert out[1] == untouched


def test_records_that_cannot_be_decoded_fail_the_run_after_listing_all() -> None:
    raw = [lines([post("1001", INES)], "native")[0], b'{"id_str": "1002"', b"[1, 2]"]
    records = [*as_records(raw), Record("data.ndjson", 4, b"{", error="cannot read further: truncated")]
    written: list[bytes] = []
    with pytest.raises(ComplianceError) as caught:
        written.extend(apply(records, Actions(), Report()))
    message = str(caught.value)
    assert message.startswith("3 input records could not be decoded:")
    assert all(f"data.ndjson:{n}: " in message for n in (2, 3, 4))
    assert written == raw[:1]  # the caller discards it: the error comes after the last record


def test_a_pretty_printed_record_comes_out_on_one_line() -> None:
    pretty = json.dumps(post("1101", INES), indent=2).encode()
    out, report = comply([pretty, b""], Actions())
    assert b"\n" not in out[0] and json.loads(out[0]) == json.loads(pretty)
    assert report.keepalives == 1 and len(out) == 1


# -- lossless patches ----------------------------------------------------------------------------


def test_a_scrub_also_reaches_the_lossless_patch_of_a_converted_record() -> None:
    # Place attributes other than a street address have no Activity Streams member: a lossless
    # conversion carries them in its patch.
    place = {**PLACE, "attributes": {"locality": "Pier 3"}}
    native = quote("1201", KOFI, located("1202", INES, place=place), **(GEO_FIELDS | {"place": place}))
    activity = to_activity(native, lossless=True).to_dict()
    patch_paths = [entry[0] for entry in activity["xformat_lossless"]["set"]]
    assert ["quoted_status", "place", "attributes", "locality"] in patch_paths
    out, report = comply([msgspec.json.encode(activity)], results({"id": "1202", "action": "scrub_geo"}))
    assert b"Pier 3" in out[0]  # the quote's own place, in its patch
    back = to_native(out[0]).to_dict()
    assert back["quoted_status"]["coordinates"] is None and back["quoted_status"]["place"] is None
    assert back["coordinates"] == native["coordinates"] and back["place"] == native["place"]
    assert back["quoted_status"]["retweet_count"] == 2  # the rest of the patch still applies
    assert report.scrubbed == 1


def test_a_removed_copy_leaves_the_lossless_patch_too() -> None:
    native = quote("1301", KOFI, post("1302", INES, reply_count=7, quote_count=3))
    activity = to_activity(native, lossless=True).to_dict()
    assert ["quoted_status", "reply_count"] in [entry[0] for entry in activity["xformat_lossless"]["set"]]
    out, report = comply([msgspec.json.encode(activity)], results({"id": "1302", "reason": "deleted"}))
    assert "quoted_status" not in to_native(out[0]).to_dict()  # converting back still works
    assert report.copies_removed == 1


def test_a_native_retweet_of_a_quote_loses_both_copies_of_the_removed_post() -> None:
    # Native feeds repeat the original's quoted post at the top of a Retweet of a quote.
    gone = post("1401", SOL, "Gone soon")
    record = retweet("1402", KOFI, quote("1403", INES, gone)) | {"quoted_status": gone, "is_quote_status": True}
    out, report = comply(lines([record], "native"), results({"id": "1401", "reason": "deleted"}))
    kept = json.loads(out[0])
    assert "quoted_status" not in kept and "quoted_status" not in kept["retweeted_status"]
    assert report.copies_removed == 2 and report.kept == 1


# -- compliance events in the data ---------------------------------------------------------------

WHEN = "1539205200000"


def user_event(name: str, uid: str) -> dict[str, Any]:
    """A native account event, as the compliance firehose writes it (the number alone)."""
    return {name: {"id": int(uid), "timestamp_ms": WHEN}}


def post_event(name: str, pid: str, uid: str, **extra: Any) -> dict[str, Any]:
    status = {"id": int(pid), "id_str": pid, "user_id": int(uid), "user_id_str": uid}
    return {name: {"status": status, **extra, "timestamp_ms": WHEN}}


def scrub_event(uid: str, up_to: str) -> dict[str, Any]:
    body = {"user_id": int(uid), "up_to_status_id": int(up_to), "up_to_status_id_str": up_to, "user_id_str": uid}
    return {"scrub_geo": {**body, "timestamp_ms": WHEN}}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "reason"), [("user_delete", "user_delete"), ("user_suspend", "user_suspend"),
                                               ("user_protect", "user_protect")])  # fmt: skip
def test_an_account_event_in_the_data_removes_that_account_s_posts(fmt: str, name: str, reason: str) -> None:
    records = [post("2001", INES), retweet("2002", SOL, post("2003", INES)), user_event(name, INES["id_str"]),
               post("2004", KOFI)]  # fmt: skip
    data = lines(records, fmt)
    out, report = comply(data, Actions())
    assert ids_of(out) == ["2004"] and data[2] in out  # the event passes through, as written
    assert report.removed == {reason: 1, RETWEET_OF_REMOVED: 1} and report.events == 1
    assert report.users_not_in_data == 0  # the data's own events are not results


@pytest.mark.parametrize("fmt", FORMATS)
def test_withheld_content_leaves(fmt: str) -> None:
    records = [post("2101", INES), post("2102", KOFI), post("2103", SOL),
               post_event("status_withheld", "2101", INES["id_str"], withheld_in_countries=["DE"]),
               {"user_withheld": {"user": {"id": int(KOFI["id_str"]), "id_str": KOFI["id_str"]},
                                  "withheld_in_countries": ["TR"], "timestamp_ms": WHEN}}]  # fmt: skip
    out, report = comply(lines(records, fmt), Actions())
    assert ids_of(out) == ["2103"] and report.removed == {"status_withheld": 1, "user_withheld": 1}


def test_a_native_drop_removes_the_post_and_a_later_undrop_brings_it_back() -> None:
    dropped, undropped = post_event("drop", "2201", INES["id_str"]), post_event("undrop", "2201", INES["id_str"])
    out, report = comply(lines([post("2201", INES), dropped], "native"), Actions())
    assert ids_of(out) == [] and report.removed == {"drop": 1}
    out, report = comply(lines([post("2201", INES), dropped, undropped], "native"), Actions())
    assert ids_of(out) == ["2201"] and report.undone == {"undrop": 1} and report.events == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_undo_event_counts_only_after_what_it_undoes(fmt: str) -> None:
    delete, undelete = user_event("user_delete", INES["id_str"]), user_event("user_undelete", INES["id_str"])
    out, report = comply(lines([post("2301", INES), delete, undelete], fmt), Actions())
    assert ids_of(out) == ["2301"] and report.removed == {} and report.undone == {"user_undelete": 1}
    out, report = comply(lines([undelete, post("2301", INES), delete], fmt), Actions())
    assert ids_of(out) == [] and report.undone == {"user_undelete (nothing to undo)": 1}
    assert "undo events in the data: user_undelete (nothing to undo) 1" in report.text()


@pytest.mark.parametrize("fmt", FORMATS)
def test_states_are_undone_one_by_one(fmt: str) -> None:
    events = [user_event("user_delete", INES["id_str"]), user_event("user_suspend", INES["id_str"]),
              user_event("user_unsuspend", INES["id_str"])]  # fmt: skip
    out, report = comply(lines([post("2401", INES), *events], fmt), Actions())
    assert ids_of(out) == [] and report.removed == {"user_delete": 1}  # unsuspended, still deleted


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_job_s_result_wins_over_an_undo_event_of_the_data(fmt: str) -> None:
    data = lines([post("2501", INES), user_event("user_undelete", INES["id_str"])], fmt)
    out, report = comply(data, results({"id": INES["id_str"], "reason": "deleted"}, users=True))
    assert ids_of(out) == [] and report.removed == {"deleted": 1}


@pytest.mark.parametrize("fmt", FORMATS)
def test_scrub_geo_reaches_the_account_s_posts_up_to_the_one_it_names(fmt: str) -> None:
    records = [located("2601", INES), located("2603", INES), located("2602", KOFI),
               retweet("2604", SOL, located("2600", INES)), scrub_event(INES["id_str"], "2601"),
               scrub_event(INES["id_str"], "2600")]  # fmt: skip
    data = lines(records, fmt)
    out, report = comply(data, Actions())
    kept = [json.loads(line) for line in out]
    assert geo_of(kept[0], fmt) == {} and out[1] == data[1] and out[2] == data[2]  # later post, other author
    assert geo_of(kept[3]["retweeted_status" if fmt == "native" else "object"], fmt) == {}
    assert report.scrubbed == 2 and report.kept == 4 and report.events == 2


def test_an_event_that_cannot_be_applied_stops_the_run() -> None:
    scrub = to_activity(scrub_event(INES["id_str"], "2700")).to_dict()
    del scrub["actor"]  # no account: decodes, but names no one whose geo to scrub
    with pytest.raises(ComplianceError, match="1 compliance events of the data cannot be applied"):
        data_actions(as_records([msgspec.json.encode(scrub)]))


def test_system_messages_pass_through_and_are_counted() -> None:
    warn = {"warn": {"message": "Rules are being delivered late"}}
    data = lines([post("2801", INES), warn], "native")
    out, report = comply(data, Actions())
    assert out == data and report.system == 1 and "1 system message" in report.text()
