"""One decode per record: format and kind detection, the tolerant path, precise errors."""

from __future__ import annotations

import json
import random
from typing import Any

import msgspec
import pytest

from tests.conftest import ROOT
from tests.samples import native_post
from xformat import decoding, formats
from xformat.convert import to_activity
from xformat.decoding import decode
from xformat.errors import RecordError
from xformat.formats import Kind
from xformat.formats.detect import SMALL
from xformat.models import Activity, DeleteActivity, DeleteNotice, InfoNotice, Post


def _bytes(value: object) -> bytes:
    return json.dumps(value).encode()


def test_detects_both_formats_and_every_kind() -> None:
    native = native_post()
    activity = to_activity(native).to_dict()
    delete = {"delete": {"status": {"id": 5, "id_str": "5", "user_id": 7, "user_id_str": "7"},
                         "timestamp_ms": "1539202764123"}}  # fmt: skip
    info = {
        "info": {"message": "Replay Request Completed", "sent": "2018-10-11T00:00:00Z", "activity_count": 2}
    }
    as_delete = to_activity(delete).to_dict()
    cases = [
        (native, "native", "post", Post),
        (activity, "activity", "post", Activity),
        (delete, "native", "delete", DeleteNotice),
        (as_delete, "activity", "delete", DeleteActivity),
        (info, "native", "info", InfoNotice),
    ]
    for value, fmt, kind, cls in cases:
        decoded = decode(_bytes(value))
        assert (decoded.format, decoded.kind) == (fmt, kind)
        assert isinstance(decoded.value, cls)
        assert decoded.unknown == ()


def test_detection_does_not_depend_on_size_or_member_order() -> None:
    """The cheap look at the bytes only orders the decoders: a deletion padded past the size of
    real ones, or an activity that does not start as feeds do, is still what it is."""
    delete = {"delete": {"status": {"id": 5, "id_str": "5", "user_id": 7, "user_id_str": "7"},
                         "timestamp_ms": "1539202764123", "padding": "x" * 2000}}  # fmt: skip
    decoded = decode(_bytes(delete))
    assert (decoded.format, decoded.kind, decoded.unknown) == ("native", "delete", ("$.delete.padding",))
    native = native_post()
    reordered = {"user": native["user"], **{k: v for k, v in native.items() if k != "user"}}
    assert decode(_bytes(reordered)).format == "native"
    activity = to_activity(native).to_dict()
    activity = {"created_at": None, **activity}
    assert decode(_bytes(activity)).unknown == ("$.created_at",)


def test_unknown_fields_are_tolerated_and_reported_by_path() -> None:
    post = native_post(brand_new_field=1)
    post["user"]["another"] = {"x": 1}
    post["entities"]["hashtags"][0]["extra"] = True
    decoded = decode(_bytes(post))
    assert isinstance(decoded.value, Post)
    assert sorted(decoded.unknown) == ["$.brand_new_field", "$.entities.hashtags[0].extra", "$.user.another"]


def test_float_and_inconsistent_ids_do_not_corrupt_the_id() -> None:
    post = native_post(id=1.0501186211989218e18)
    decoded = decode(_bytes(post))
    assert isinstance(decoded.value, Post)
    assert decoded.value.id_str == "1050118621198921728"
    result = to_activity(decoded.value)
    assert isinstance(result.value, Activity)
    assert result.value.id.endswith(":1050118621198921728")
    assert "numeric_ids" in result.losses
    post = native_post(id=1)  # disagrees with id_str: id_str wins
    assert to_activity(post).value.id.endswith(":1050118621198921728")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("raw", "reason", "path"),
    [
        (b'{"created_at": ', "malformed JSON", "$"),
        (b"[1, 2]", "Expected `object`, got `array`", "$"),
        (_bytes(native_post(id_str="12a")), "expected an id of 1 to 20 digits", "$.id_str"),
        (_bytes(native_post(text=5)), "expected a string, got an integer", "$.text"),
        (_bytes({**native_post(), "user": {"id_str": "1"}}), "missing required field '", "$.user"),
    ],
)
def test_invalid_records_name_the_path_and_reason(raw: bytes, reason: str, path: str) -> None:
    with pytest.raises(RecordError) as info:
        decode(raw)
    assert reason in info.value.reason
    assert info.value.path == path


def test_forced_format_reports_against_that_format() -> None:
    with pytest.raises(RecordError) as info:
        decode(_bytes(native_post()), "activity")
    assert info.value.reason == "this is an Enriched Native record, not Activity Streams"
    assert info.value.taken_as == ("activity", "post")
    with pytest.raises(RecordError) as broken:  # an activity that is merely broken: what it lacks
        decode(_bytes(_samples()["activity without postedTime"]), "activity")
    assert broken.value.reason == "missing required field 'postedTime'"


# --- detection from content -------------------------------------------------------------------


def _layouts(value: dict[str, Any]) -> dict[str, bytes]:
    """The same record with its members in other orders, and pretty-printed."""
    rng = random.Random(5)
    shuffled = dict(rng.sample(list(value.items()), len(value)))
    return {
        "as given": _bytes(value),
        "reversed": _bytes(dict(reversed(list(value.items())))),
        "shuffled": _bytes(shuffled),
        "sorted": json.dumps(value, sort_keys=True).encode(),
        "pretty": json.dumps(value, indent=2).encode(),
        "pretty sorted": json.dumps(value, indent=4, sort_keys=True).encode(),
    }


def _verdict(raw: bytes) -> tuple[Any, ...]:
    try:
        decoded = decode(raw)
    except RecordError as err:
        return ("error", err.taken_as, err.path, err.reason)
    return ("ok", decoded.format, decoded.kind, tuple(sorted(decoded.unknown)))


def _samples() -> dict[str, dict[str, Any]]:
    native = native_post()
    activity = to_activity(native).to_dict()
    delete = {"delete": {"status": {"id": 5, "id_str": "5", "user_id": 7, "user_id_str": "7"},
                         "timestamp_ms": "1539202764123"}}  # fmt: skip
    as_delete = to_activity(delete).to_dict()
    no_time = {k: v for k, v in activity.items() if k != "postedTime"}
    untagged = {k: v for k, v in activity.items() if k != "objectType"}
    return {
        "native post": native,
        "activity": activity,
        "native delete": delete,
        "activity delete": as_delete,
        "activity without postedTime": no_time,
        "native post with a bad id_str": native_post(id_str="12a"),
        "activity with unknown fields": {**activity, "zz_new": 1, "created_at": None},
        "activity without objectType": untagged,
        "activity whose objectType is note": {**activity, "objectType": "note"},
        "activity whose objectType is not a string": {**activity, "objectType": 1},
        "activity with its lossless member": {**activity, "xformat_lossless": {"format": "native"}},
        "activity without objectType, with its lossless member": {**untagged, "xformat_lossless": {}},
    }


@pytest.mark.parametrize("name", list(_samples()))
def test_format_kind_and_error_do_not_depend_on_member_order_or_layout(name: str) -> None:
    verdicts = {layout: _verdict(raw) for layout, raw in _layouts(_samples()[name]).items()}
    assert len(set(verdicts.values())) == 1, verdicts


def test_a_failed_record_is_reported_against_the_format_it_resembles() -> None:
    """An activity missing postedTime is an activity post error naming postedTime, whatever its
    member order, not a native error about a member it was never meant to have."""
    for raw in _layouts(_samples()["activity without postedTime"]).values():
        with pytest.raises(RecordError) as info:
            decode(raw)
        assert info.value.taken_as == ("activity", "post")
        assert (info.value.path, info.value.reason) == ("$", "missing required field 'postedTime'")


def test_an_activity_without_its_top_level_object_type_is_refused_in_every_layout() -> None:
    """An activity decodes as its struct alone where its tag does not come first (sorted keys),
    yet the tag stays required there, as the schema and the union say."""
    for layout, raw in _layouts(_samples()["activity without objectType"]).items():
        with pytest.raises(RecordError) as info:
            decode(raw)
        assert (info.value.taken_as, info.value.path) == (("activity", "post"), "$"), layout
        assert info.value.reason == "missing required field 'objectType'", layout
        assert not decoding.is_plain(raw, formats.get("activity").post), layout


def test_sorted_activities_decode_as_activities_after_records_the_fast_decode_refuses() -> None:
    """Records holding the lossless member (a lossless archive) fail the struct-alone decode and
    take the union's; those after them still decode whole and equal, in any order."""
    samples = _samples()
    lossless = json.dumps(samples["activity with its lossless member"], sort_keys=True).encode()
    plain = json.dumps(samples["activity"], sort_keys=True).encode()
    expected = msgspec.json.decode(_bytes(samples["activity"]), type=Activity)
    for raw in [lossless] * 3 + [plain] * 70:
        decoded = decode(raw)
        assert type(decoded.value) is Activity
        assert msgspec.structs.replace(decoded.value, xformat_lossless=msgspec.UNSET) == expected


def test_a_deletion_amid_sorted_posts_leaves_the_struct_alone_decode_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deletions amid posts (every stream has them) fail the struct-alone decode when a reader tries
    the last record's kind first (``is_plain``, as validate does); only a record with the lossless
    member turns that decode off for the records after it, so the posts after a deletion take it."""
    samples = _samples()
    plain = json.dumps(samples["activity"], sort_keys=True).encode()
    delete = json.dumps(samples["activity delete"], sort_keys=True).encode()
    lossless = json.dumps(samples["activity with its lossless member"], sort_keys=True).encode()
    kind = formats.get("activity").post
    tagged = decoding._TAGGED[kind]
    assert tagged is not None

    class Counting:
        def __init__(self, real: Any) -> None:
            self.real, self.decoded = real, 0

        def decode(self, raw: bytes) -> Any:
            value = self.real.decode(raw)
            self.decoded += 1
            return value

    counting = Counting(tagged.decoder)
    monkeypatch.setattr(tagged, "decoder", counting)
    monkeypatch.setattr(tagged, "rest", 0)
    verdicts = [decoding.is_plain(raw, kind) for raw in [plain, delete, plain, plain]]
    assert verdicts == [True, False, True, True]
    assert counting.decoded == 3  # every post: the deletion did not turn the decode off
    assert decoding.is_plain(lossless, kind)  # valid, through the union
    assert [decoding.is_plain(raw, kind) for raw in [plain, plain]] == [True, True]
    assert counting.decoded == 3  # after a lossless record, the next ones go through the union


class _Spy:
    """Records the typed decodes ``xformat.decoding`` attempts, by schema name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real = decoding._attempt

        def spied(raw: bytes, fmt: Any, kind: Kind, *, confirmed: bool) -> Any:
            self.calls.append(kind.schema)
            return real(raw, fmt, kind, confirmed=confirmed)

        monkeypatch.setattr(decoding, "_attempt", spied)


def test_an_activity_with_verb_last_decodes_on_the_first_typed_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    activity = to_activity(native_post()).to_dict()
    last = {**{k: v for k, v in activity.items() if k != "verb"}, "verb": activity["verb"]}
    spy = _Spy(monkeypatch)
    for raw in (_bytes(last), json.dumps(activity, sort_keys=True, indent=2).encode()):
        decode(_bytes(native_post()))  # the last record decoded was native: no help from it
        spy.calls.clear()
        assert decode(raw).format == "activity"
        assert spy.calls == ["activity"]


def test_notices_and_posts_of_both_formats_take_one_typed_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy(monkeypatch)
    for name in ("native post", "activity", "native delete", "activity delete"):
        for raw in _layouts(_samples()[name]).values():
            for other in ("native post", "activity"):  # whatever the format of the record before
                decode(_bytes(_samples()[other]))
                spy.calls.clear()
                decode(raw)
                assert len(spy.calls) == 1, (name, other, spy.calls)


def test_small_v2_posts_and_deletions_are_decoded_before_any_sniff(monkeypatch: pytest.MonkeyPatch) -> None:
    """X API v2 posts of the default fields are as small as notices: after a v2 record, those
    marked as v2's are decoded first as larger posts are. Deletions, the small records of every
    stream, are decoded as the deletions of the format whose marker they hold (none: native)."""
    post = {"id": "1000000000000000001", "text": "An invented post", "edit_history_tweet_ids": ["1000000000000000001"]}
    sniffed: list[bytes] = []
    real = decoding.sniff

    def spied(raw: bytes) -> Any:
        sniffed.append(raw)
        return real(raw)

    monkeypatch.setattr(decoding, "sniff", spied)
    spy = _Spy(monkeypatch)
    for record, kind in (({"data": post}, "stream-line"), (post, "post")):
        for raw in _layouts(record).values():
            assert len(raw) < SMALL
            decode(raw)  # the record before is of the same format and kind
            sniffed.clear()
            spy.calls.clear()
            assert decode(raw)[:2] == ("v2", kind)
            assert (sniffed, len(spy.calls)) == ([], 1)
    for name, schema in (("native delete", "native-delete"), ("activity delete", "activity-delete")):
        for raw in _layouts(_samples()[name]).values():
            sniffed.clear()
            spy.calls.clear()
            assert decode(raw).kind == "delete"
            assert (sniffed, spy.calls) == ([], [schema])
    sniffed.clear()
    spy.calls.clear()
    with pytest.raises(RecordError):
        decode(b'{"delete": "soon"}')  # holds the hint, is no deletion: sniffed after the decode fails
    assert spy.calls[0] == "native-delete" and len(sniffed) == 1


def test_real_activity_streams_records_are_judged_as_activities() -> None:
    """Real archives' key orders (``actor`` before ``verb``, old layouts): every record is an
    activity, decoded or rejected as one."""
    files = sorted((ROOT.parent / "shared" / "realdata" / "activity-streams").glob("*.jsonl"))
    if not files:
        pytest.skip("../shared/realdata is not present beside the repository")
    for path in files:
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            verdict = _verdict(line)
            judged = verdict[1] if verdict[0] == "ok" else (verdict[1] or ("?",))[0]
            assert judged == "activity", (path.name, number, verdict)


class Inner(msgspec.Struct, forbid_unknown_fields=True):
    c: int


class Outer(msgspec.Struct, forbid_unknown_fields=True):
    b: Inner | None = None
    l: list[Inner] = []  # noqa: E741


REWORDED = {
    "Expected `int`, got `str`": "expected an integer, got a string",
    "Object missing required field `c`": "missing required field 'c'",
}
"""Reasons said in xformat's words (``xformat.wording``); unknown fields are tolerated, not said."""


# msgspec's error messages are parsed for the path and for unknown fields: pinned here, so that
# a msgspec release that words them otherwise fails these tests rather than xformat's reports.
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"a": 1}', "Object contains unknown field `a`"),
        (b'{"b": {"a": 1}}', "Object contains unknown field `a` - at `$.b`"),
        (b'{"b": {"c": "x"}}', "Expected `int`, got `str` - at `$.b.c`"),
        (b'{"b": {}}', "Object missing required field `c` - at `$.b`"),
        (b'{"l": [{"c": 1}, {"c": 1, "a": 0}]}', "Object contains unknown field `a` - at `$.l[1]`"),
    ],
)
def test_msgspec_error_messages_read_as_xformat_expects(raw: bytes, message: str) -> None:
    with pytest.raises(msgspec.ValidationError) as info:
        msgspec.json.decode(raw, type=Outer)
    assert str(info.value) == message
    err = decoding._record_error(info.value)
    assert err.path == (message.partition(" - at `")[2].rstrip("`") or "$")
    assert err.reason == REWORDED.get(message.split(" - at ")[0], message.split(" - at ")[0])
    assert str(info.value).startswith(decoding._UNKNOWN) == message.startswith("Object contains unknown field")


# --- the tolerant path ------------------------------------------------------------------------


def _with_unknowns(value: dict[str, Any], places: list[tuple[str | int, ...]], name: str) -> dict[str, Any]:
    """A copy of ``value`` with a member ``name`` added in each object at ``places``."""
    out = json.loads(json.dumps(value))
    for place in places:
        node = out
        for step in place:
            node = node[step]
        node[name] = {"anything": [1, "two"]}
    return out


def test_unknown_members_are_found_typed_as_the_untyped_walk_finds_them() -> None:
    """The twin decode reports exactly the members the untyped walk of the same record finds, and
    gives the value a record without them gives, as the models' own classes; a later record with
    members not seen before is decoded as exactly."""
    quoted = native_post(id_str="1050118621198921999")
    clean = native_post(quoted_status=quoted, quoted_status_id_str=quoted["id_str"], is_quote_status=True)
    activity = to_activity(clean).to_dict()
    cases = [
        (clean, [(), ("user",), ("entities", "hashtags", 0), ("quoted_status", "user")], [("entities",)]),
        (activity, [(), ("actor",), ("object",), ("twitter_quoted_status", "object")], [("twitter_entities",)]),
    ]
    for record, places, more in cases:
        expected = decode(_bytes(record)).value
        for round_, (where, name) in enumerate([(places, "zz_first"), (places + more, "zz_second")]):
            data = _with_unknowns(record, where, name)
            decoded = decode(_bytes(data))
            model = type(expected)
            assert sorted(decoded.unknown) == sorted(decoding.unknown_fields(data, model)), round_
            assert len(decoded.unknown) == len(where)
            assert decoded.value == expected and type(decoded.value) is model
            for inner in decoded.value.__struct_fields__:
                assert type(getattr(decoded.value, inner)).__module__ != "xformat._twins"


def test_errors_are_never_changed_once_raised() -> None:
    with pytest.raises(RecordError) as info:
        decode(_bytes(native_post(text=5)))
    err = info.value
    placed = err.located("feed.ndjson", 7)
    assert placed is not err and type(placed) is type(err)
    assert (err.source, err.line, str(err)) == (None, None, "expected a string, got an integer (at $.text)")
    assert (placed.source, placed.line, placed.path, placed.taken_as) == ("feed.ndjson", 7, "$.text", err.taken_as)
    assert str(placed) == "feed.ndjson:7: expected a string, got an integer (at $.text)"


@pytest.mark.usefixtures("fresh_tolerances")
def test_is_plain_says_yes_only_for_a_valid_record_of_that_kind_as_it_is() -> None:
    from xformat.formats import ACTIVITY, NATIVE

    post = native_post()
    raw = msgspec.json.encode(post)
    decode(raw)  # a clean record: the kind's twin, if an earlier record with unknown members warmed it, cools
    assert decoding.is_plain(raw, NATIVE.post)
    assert not decoding.is_plain(raw, ACTIVITY.post)  # another format's kind
    assert not decoding.is_plain(raw, NATIVE.kinds["delete"])  # another kind
    assert not decoding.is_plain(msgspec.json.encode(post | {"brand_new": 1}), NATIVE.post)  # unknown member
    decode(msgspec.json.encode(post | {"brand_new": 1}))
    assert not decoding.is_plain(raw, NATIVE.post)  # the last record had unknown members: find decides
    decode(raw)
    assert not decoding.is_plain(msgspec.json.encode(post | {"id_str": 5}), NATIVE.post)  # invalid
    assert not decoding.is_plain(raw[:-1], NATIVE.post)  # malformed
    activity = to_activity(raw).json()
    decode(activity)
    assert decoding.is_plain(activity, ACTIVITY.post) and not decoding.is_plain(activity, NATIVE.post)
    # A kind told by a member is left to find, even for a record that decodes as it (all optional).
    assert not decoding.is_plain(b"{}", formats.get("v2").kinds["compliance-job"])
