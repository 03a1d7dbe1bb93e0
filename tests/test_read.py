"""``xformat.read``: the accessors answer from a light decode exactly as from the whole native ``Post``.

The reference is the way ``read`` went before the light decode: the record decoded with every
check and converted to a native ``Post`` (``readpost.whole``), whose accessors are those of
``PostAccessors``. Every accessor of a post read light must give what that ``Post`` gives, the
same value or the same error, for synthetic posts of every kind in both Enterprise formats
(golden cases, generated ones, ones with unknown members) and for the real archives beside the
repository; X API v2 stream lines and twarc2-flattened posts too (flattened here from the
stream lines, as ``twarc2 flatten`` does). The same post in Enriched Native, Activity Streams and
X API v2 gives the same answers but where a format does not carry what an accessor reads (said
case by case).
"""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import xformat
from tests.conftest import GOLDEN, GOLDEN_V2, REALDATA, examples, golden_cases
from tests.samples import USER, native_post
from tests.strategies import activities, native_posts, with_unknown_fields
from tests.v2_strategies import flatten, v2_lines
from xformat.accessors import STRUCT_VALUED, PostAccessors
from xformat.errors import RecordError
from xformat.light_activity import ActivityReadPost
from xformat.light_native import NativeReadPost
from xformat.light_v2 import FlatReadPost, V2ReadPost
from xformat.models import Post
from xformat.readpost import ReadPost, WholePost, whole
from xformat.records import iter_records

ACCESSORS = sorted(name for name in dir(PostAccessors) if not name.startswith("_"))
LIGHT = {"native": NativeReadPost, "activity": ActivityReadPost}  # and V2ReadPost for v2 stream lines
POST_CASES = [case for case in golden_cases() if not case.name.startswith(("compliance_", "deletion_"))]


def answer(post: Any, name: str) -> tuple[Any, ...]:
    """What ``post`` answers to the accessor ``name``: its value, or the error it raises."""
    try:
        return ("value", getattr(post, name))
    except Exception as exc:  # the native Post's accessors raise ValueError, RecordError...
        return ("error", type(exc), str(exc))


def answers(post: Any) -> dict[str, tuple[Any, ...]]:
    return {name: answer(post, name) for name in ACCESSORS}


def assert_read_as_whole(raw: bytes) -> ReadPost:
    """``read(raw)`` answers every accessor as the whole native Post of ``raw`` does."""
    post = xformat.read(raw)
    assert answers(post) == answers(whole(raw, None))
    return post


# --- synthetic posts of every kind ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["native", "activity"])
@pytest.mark.parametrize("case", POST_CASES, ids=lambda case: case.name)
def test_golden_posts_read_light_answer_as_the_whole_post(case: Path, fmt: str) -> None:
    post = assert_read_as_whole((case / f"{fmt}.json").read_bytes())
    assert type(post) is LIGHT[fmt]  # the light path was taken


@given(native_posts())
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
def test_generated_native_posts_answer_as_the_whole_post(sample: Any) -> None:
    assert_read_as_whole(json.dumps(sample.data).encode())


@given(activities(varied=True))
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
def test_generated_activities_answer_as_the_whole_post(sample: Any) -> None:
    assert_read_as_whole(json.dumps(sample.data).encode())


@given(v2_lines())
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
def test_generated_v2_stream_lines_answer_as_the_whole_post(sample: Any) -> None:
    # Canonical lines and lines varied as real captures vary: no author, referenced posts or
    # media included, default fields only (no created_at), references in another order...
    assert_read_as_whole(json.dumps(sample.line).encode())


@given(v2_lines())
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
def test_generated_flattened_posts_answer_as_the_whole_post(sample: Any) -> None:
    # The varied lines flatten to what twarc2 writes of such captures: {} for an author, media or
    # poll not included, references with only type and id for posts not included.
    (flat,) = flatten(sample.line)
    post = assert_read_as_whole(json.dumps(flat).encode())
    assert type(post) is FlatReadPost


def _quote_line() -> dict[str, Any]:
    return json.loads((GOLDEN_V2 / "quote" / "v2.json").read_text(encoding="utf-8"))


def test_a_v2_page_is_read_whole() -> None:
    line = _quote_line()
    page = dict(line, data=[line["data"]], meta={"result_count": 1})
    post = assert_read_as_whole(json.dumps(page).encode())
    assert type(post) is WholePost


def test_stream_lines_and_pages_are_not_taken_for_flattened_posts() -> None:
    # Each record first tries the light reader of the last one: after a flattened post, the
    # flattened posts' reader is tried first, and must leave a stream line and a page to theirs.
    line = _quote_line()
    flat = json.dumps(flatten(line)[0]).encode()
    page = dict(line, data=[line["data"]], meta={"result_count": 1})
    records = [(flat, FlatReadPost), (json.dumps(line).encode(), V2ReadPost), (json.dumps(page).encode(), WholePost)]
    for raw, kind in [*records, records[0], records[2], records[0], records[1]]:
        assert type(assert_read_as_whole(raw)) is kind


@given(with_unknown_fields(native_posts()))
@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
def test_unknown_members_are_passed_over_as_the_whole_post_drops_them(drawn: Any) -> None:
    assert_read_as_whole(json.dumps(drawn[0].data).encode())


@given(with_unknown_fields(activities()))
@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
def test_unknown_members_of_activities_are_passed_over(drawn: Any) -> None:
    assert_read_as_whole(json.dumps(drawn[0].data).encode())


def test_posts_of_both_formats_in_turn_are_each_read_light() -> None:
    # Each record first tries the light reader that read the last one.
    lines = [(GOLDEN / case / f"{fmt}.json").read_bytes() for case in ("quote", "retweet") for fmt in LIGHT]
    assert [type(xformat.read(line)) for line in lines * 2] == [*LIGHT.values()] * 4


# --- the same post in each format -------------------------------------------------------------

# Where a format does not carry what an accessor reads: Activity Streams has no polls, and no
# "quote" flag without the quoted post (a quote of an unavailable post reads as an original).
NOT_CARRIED_BY_ACTIVITY = {
    "poll": {"poll_options", "all_text"},
    "unavailable_quote": {"post_type", "tweet_type"},
}
# X API v2 embeds no quoted post in a Retweeted original: its links are the original's alone.
NOT_CARRIED_BY_V2 = {"retweet_of_quote": {"most_unrolled_urls"}}
PLAIN = [name for name in ACCESSORS if name not in STRUCT_VALUED]  # the structs differ in what the formats hold


@pytest.mark.parametrize("case", POST_CASES, ids=lambda case: case.name)
def test_the_same_post_answers_alike_in_enriched_native_and_activity_streams(case: Path) -> None:
    native = xformat.read((case / "native.json").read_bytes())
    activity = xformat.read((case / "activity.json").read_bytes())
    differ = {name for name in PLAIN if answer(native, name) != answer(activity, name)}
    assert differ == NOT_CARRIED_BY_ACTIVITY.get(case.name, set())


def test_what_activity_streams_does_not_carry() -> None:
    poll = GOLDEN / "poll"
    assert xformat.read((poll / "native.json").read_bytes()).poll_options != []
    assert xformat.read((poll / "activity.json").read_bytes()).poll_options == []
    unavailable = GOLDEN / "unavailable_quote"
    assert xformat.read((unavailable / "native.json").read_bytes()).post_type == "quote"
    assert xformat.read((unavailable / "activity.json").read_bytes()).post_type == "original"


V2_CASES = sorted(case for case in GOLDEN_V2.iterdir() if (case / "v2.json").is_file()) if GOLDEN_V2.is_dir() else []


@pytest.mark.parametrize("case", V2_CASES, ids=lambda case: case.name)
def test_the_same_post_answers_alike_in_enriched_native_and_x_api_v2(case: Path) -> None:
    native = xformat.read((case / "native.json").read_bytes())
    v2 = assert_read_as_whole((case / "v2.json").read_bytes())
    assert type(v2) is V2ReadPost  # each golden v2 record is a stream line: read light
    differ = {name for name in PLAIN if answer(native, name) != answer(v2, name)}
    assert differ == NOT_CARRIED_BY_V2.get(case.name, set())


@pytest.mark.parametrize("case", V2_CASES, ids=lambda case: case.name)
def test_a_flattened_post_answers_as_its_stream_line(case: Path) -> None:
    line = json.loads((case / "v2.json").read_text(encoding="utf-8"))
    (flat,) = flatten(line)
    post = assert_read_as_whole(json.dumps(flat).encode())
    assert type(post) is FlatReadPost
    assert answers(post) == answers(xformat.read(json.dumps(line).encode()))


# --- what comes from the native Post ----------------------------------------------------------


@pytest.fixture(params=["native", "activity"])
def read_and_whole(request: pytest.FixtureRequest) -> tuple[ReadPost, Post]:
    raw = (GOLDEN / "retweet_of_quote" / f"{request.param}.json").read_bytes()
    return xformat.read(raw), whole(raw, None)


def test_members_and_structs_are_the_native_posts(read_and_whole: tuple[ReadPost, Post]) -> None:
    post, full = read_and_whole
    assert post.user == full.user and post.id_str == full.id_str and post.entities == full.entities
    assert post.retweeted_post == full.retweeted_post and post.content_entities == full.content_entities
    assert post.native is post.native  # made once
    assert post == full and full == post


def test_a_read_post_is_pickled_and_copied_as_its_native_post(read_and_whole: tuple[ReadPost, Post]) -> None:
    post, full = read_and_whole
    for copied in (pickle.loads(pickle.dumps(post)), copy.copy(post), copy.deepcopy(post)):
        assert type(copied) is Post and copied == full


def test_the_converters_take_a_read_post_as_its_native_post(read_and_whole: tuple[ReadPost, Post]) -> None:
    post, full = read_and_whole
    assert xformat.to_activity(post).json() == xformat.to_activity(full).json()
    assert xformat.to_native(post).json() == xformat.to_native(full).json()
    assert xformat.to_v2(post).json() == xformat.to_v2(full).json()


def test_repr_and_dir_are_the_native_posts(read_and_whole: tuple[ReadPost, Post]) -> None:
    post, full = read_and_whole
    assert repr(post) == repr(full)
    assert {"user", "entities", "full_text", "native"} <= set(dir(post))


# --- invalid records --------------------------------------------------------------------------


def _activity(**overrides: Any) -> dict[str, Any]:
    data = json.loads((GOLDEN / "plain_post" / "activity.json").read_text(encoding="utf-8"))
    data.update(overrides)
    return data


def test_a_member_the_accessors_do_not_read_is_checked_when_the_native_post_is_asked_for() -> None:
    post = xformat.read(native_post(user=dict(USER, listed_count="many")))
    assert post.full_text == "Bread day at the #riverside market $BRD" and post.screen_name == "mira_okafor_dev"
    with pytest.raises(RecordError, match="listed_count"):
        _ = post.user
    with pytest.raises(RecordError, match="listed_count"):
        _ = post.native
    assert repr(post).startswith("<NativeReadPost of an invalid record:")
    assert getattr(post, "_repr_html_", None) is None  # private names tools probe for decode nothing


def test_a_member_the_accessors_read_is_checked_by_read_as_before() -> None:
    with pytest.raises(RecordError, match="followers_count"):
        xformat.read(native_post(user=dict(USER, followers_count="many")))
    actor = dict(_activity()["actor"], followersCount="many")
    with pytest.raises(RecordError, match="followersCount"):
        xformat.read(_activity(actor=actor))


def test_a_patterned_value_an_accessor_reads_is_checked_by_it() -> None:
    post = xformat.read(native_post(user=dict(USER, id_str="22449a")))
    assert post.screen_name == "mira_okafor_dev"
    with pytest.raises(RecordError, match="id_str"):
        _ = post.author_id
    activity = xformat.read(_activity(actor=dict(_activity()["actor"], id="id:twitter.com:22449a")))
    with pytest.raises(RecordError, match=r"actor\.id"):
        _ = activity.author_id
    with pytest.raises(RecordError, match="postedTime"):
        _ = xformat.read(_activity(postedTime="2018-10-10 20:19:24Z")).created_at_datetime
    with pytest.raises(RecordError, match="not a possible time"):
        _ = xformat.read(_activity(postedTime="2018-02-30T20:19:24.000Z")).created_at_datetime
    with pytest.raises(RecordError, match="created_at"):
        _ = xformat.read(native_post(created_at="Wed Oct 10 20:19:24 UTC 2018")).created_at_datetime


def test_an_impossible_clock_is_a_value_error_as_the_native_accessor_says() -> None:
    for raw in (
        native_post(created_at="Wed Oct 10 24:19:24 +0000 2018"),
        _activity(postedTime="2018-10-10T24:19:24.000Z"),
    ):
        with pytest.raises(ValueError, match="does not match format"):
            _ = xformat.read(raw).created_at_datetime


def test_a_retweet_whose_object_is_a_note_is_refused_by_read() -> None:
    with pytest.raises(RecordError, match="Retweet's object"):
        xformat.read(_activity(verb="share"))


@pytest.mark.parametrize("fmt", ["native", "activity"])
def test_deletions_are_not_posts(fmt: str) -> None:
    for case in ("deletion_notice", "deletion_stream_2012", "deletion_stream_2015"):
        with pytest.raises(RecordError, match="not a post but a delete record"):
            xformat.read((GOLDEN / case / f"{fmt}.json").read_bytes())


def test_a_record_with_members_of_another_format_is_left_to_the_whole_decode() -> None:
    # An id and a text as a flattened post has them, beside a member that tells another format's
    # record or a page: the whole decode judges what it is.
    flat = flatten(_quote_line())[0]
    for member, value in (("id_str", flat["id"]), ("user", flat["author"]), ("verb", "post"), ("data", {})):
        post = assert_read_as_whole(json.dumps(dict(flat, **{member: value})).encode())
        assert type(post) is WholePost, member


def test_an_invalid_deletion_says_what_is_wrong_with_it() -> None:
    with pytest.raises(RecordError, match="missing required field 'id_str'"):
        xformat.read(b'{"delete": {"status": {"id": 1}}}')


# --- real archives ----------------------------------------------------------------------------

REAL_FOLDERS = ("native", "activity-streams", "raw-files", "v2")


@pytest.mark.skipif(not REALDATA.is_dir(), reason=f"no real payloads at {REALDATA} (they live beside the repository)")
@pytest.mark.parametrize("folder", REAL_FOLDERS)
def test_real_posts_answer_as_the_whole_post(folder: str) -> None:
    read = 0
    for path in sorted((REALDATA / folder).iterdir()):
        for record in iter_records([str(path)]) if path.suffix in (".json", ".jsonl") else ():
            if not record.raw:
                continue
            try:
                post = xformat.read(record.raw)
            except RecordError:  # not a post, or a page of several: the whole decode says so too
                with pytest.raises(RecordError):
                    whole(record.raw, None)
                continue
            assert answers(post) == answers(whole(record.raw, None)), f"{path.name}:{record.line}"
            read += 1
    assert read > 0


REAL_FLATTENED = REALDATA / "v2" / "twarc2_flattened.jsonl"


@pytest.mark.skipif(not REAL_FLATTENED.is_file(), reason=f"no real flattened posts at {REAL_FLATTENED}")
def test_real_flattened_posts_are_read_light() -> None:
    records = [record.raw for record in iter_records([str(REAL_FLATTENED)]) if record.raw]
    assert records
    for raw in records:
        assert type(assert_read_as_whole(raw)) is FlatReadPost
