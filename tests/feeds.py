"""Small synthetic feeds for the reader, pipeline and ``convert`` tests (invented people and ids)."""

from __future__ import annotations

from typing import Any

import msgspec

from tests.samples import native_post
from xformat.convert import Converter

INFO = b'{"info":{"message":"Replay Request Completed","sent":"2018-10-12T00:00:00+00:00","activity_count":5}}'


def native_records() -> list[dict[str, Any]]:
    """A plain post, a reply (next day), a Retweet, a post with an unknown field, a deletion."""
    reply = native_post(
        id=1050118621198922000,
        id_str="1050118621198922000",
        created_at="Thu Oct 11 01:02:03 +0000 2018",
        text="@mira_okafor_dev same here",
        in_reply_to_status_id=1050118621198921728,
        in_reply_to_status_id_str="1050118621198921728",
        in_reply_to_user_id=2244994945001,
        in_reply_to_user_id_str="2244994945001",
        in_reply_to_screen_name="mira_okafor_dev",
    )
    retweet = native_post(
        id=1050118621198921999,
        id_str="1050118621198921999",
        created_at="Wed Oct 10 21:00:00 +0000 2018",
        text="RT @mira_okafor_dev: Bread day at the #riverside market $BRD",
        retweet_count=0,  # as a stream captured it; the original's count is 2
        retweeted_status=native_post(),
    )
    deletion = {
        "delete": {
            "status": {"id": 1, "id_str": "1", "user_id": 2244994945001, "user_id_str": "2244994945001"},
            "timestamp_ms": "1539205200000",
        }
    }
    return [native_post(), reply, retweet, native_post(flavour="salty"), deletion]


def native_lines() -> list[bytes]:
    return [msgspec.json.encode(record) for record in native_records()]


def activity_lines() -> list[bytes]:
    """``native_lines()`` converted by xformat."""
    convert = Converter("activity").convert_raw
    lines = []
    for line in native_lines():
        output = convert(line).output
        assert output is not None
        lines.append(output)
    return lines


def ndjson(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)
