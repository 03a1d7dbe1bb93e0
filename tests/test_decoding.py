"""One decode per record: format and kind detection, the tolerant path, precise errors."""

from __future__ import annotations

import json

import pytest

from tests.samples import native_post
from xformat.convert import to_activity
from xformat.decoding import decode
from xformat.errors import RecordError
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
        (_bytes(native_post(id_str="12a")), "Expected `str` matching regex", "$.id_str"),
        (_bytes(native_post(text=5)), "Expected `str`, got `int`", "$.text"),
        (_bytes({**native_post(), "user": {"id_str": "1"}}), "Object missing required field", "$.user"),
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
    assert "required field" in info.value.reason
