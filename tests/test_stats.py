"""``xformat stats``: what a data set holds, counted by hand on small synthetic feeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner, Result

from tests.conftest import GOLDEN, ROOT
from tests.feeds import INFO, native_lines, ndjson
from tests.samples import USER, native_post
from xformat import read
from xformat.cli import main
from xformat.convert import to_activity
from xformat.export.stats import domain_of, era_of_post


def stats(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["stats", *args], input=input)


def encode(record: Any) -> bytes:
    return msgspec.json.encode(record)


def post(n: int, **overrides: Any) -> dict[str, Any]:
    return native_post(id=n, id_str=str(n), **overrides)


def feed() -> bytes:
    """Five distinct posts over two days by two authors, a duplicate, a deletion, an info line."""
    other = {**USER, "id": 77, "id_str": "77", "screen_name": "tide_watcher"}
    urls = [
        {"url": "https://t.co/a", "expanded_url": "https://bit.ly/x", "unwound": {"url": "https://www.example.org/a"}},
        {"url": "https://t.co/b", "expanded_url": "https://Example.org/b"},
        {"url": "https://t.co/c", "expanded_url": "https://news.example.net/c"},
    ]
    entities = {
        "hashtags": [{"text": "Riverside", "indices": [0, 10]}, {"text": "maps", "indices": [11, 16]}],
        "user_mentions": [{"screen_name": "Tide_Watcher", "indices": [17, 30]}],
        "urls": urls,
    }
    records = [
        post(11),
        post(12, created_at="Thu Oct 11 08:00:00 +0000 2018", lang="pt", user=other, entities=entities),
        post(
            13,
            created_at="Thu Oct 11 09:00:00 +0000 2018",
            in_reply_to_status_id_str="11",
            reply_count=2,
            user=other,
        ),
        post(14, retweeted_status=post(11), text="RT @mira_okafor_dev: Bread day"),
        post(15, lang=None, edit_history={"initial_tweet_id": "15", "edit_tweet_ids": ["15"]}),
        post(11),  # again, as overlapping search pages give it
    ]
    lines = [encode(r) for r in records]
    lines[1] = to_activity(lines[1]).json()  # one post in Activity Streams
    lines.append(native_lines()[-1])  # a deletion
    return ndjson(lines) + INFO + b"\n"


def test_what_a_feed_holds() -> None:
    result = stats("--json", input=feed())
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["records"] == {
        "read": 8,
        "rows": 5,
        "duplicates": 1,
        "non_posts": {"delete": 1, "info": 1},
        "keepalives": 0,
        "rejected": 0,
        "pages": 0,
        "page_posts": 0,
        "stopped_early": False,
    }
    assert found["posts"] == 5
    assert (found["first"], found["last"]) == ("2018-10-10T20:19:24.000Z", "2018-10-11T09:00:00.000Z")
    assert found["formats"] == {"native": 5, "activity": 1}  # post records: the duplicate too
    assert found["eras"] == {"2012": 4, "2017": 1, "2022": 1}
    assert found["types"] == {"original": 3, "reply": 1, "retweet": 1}
    assert found["languages"] == {"en": 3, "pt": 1, "(none)": 1}
    assert found["distinct_authors"] == 2
    assert found["days"] == {"2018-10-10": {"original": 2, "retweet": 1}, "2018-10-11": {"original": 1, "reply": 1}}
    assert found["top_hashtags"] == [["riverside", 5], ["maps", 1]]  # #Riverside counted with #riverside
    assert found["top_mentions"] == [["tide_watcher", 1]]
    assert found["top_domains"] == [["example.org", 2], ["news.example.net", 1]]


def test_the_text_report() -> None:
    result = stats("--top", "1", input=feed())
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "records      8 read: 5 posts, 1 duplicate left out, 1 deletion, 1 info line, 0 keep-alives, 0 rejected"
    )
    assert "posts        5 by 2 distinct authors" in lines
    assert "hashtags     #riverside 5 and 1 more" in lines
    assert "types        original 3 (60.0%), reply 1 (20.0%), retweet 1 (20.0%)" in lines
    assert lines[-2:] == ["per day      2018-10-10  3", "             2018-10-11  2"]


def test_rejects_are_shown_and_set_the_exit_status() -> None:
    result = stats(input=ndjson([encode(post(1)), b"{nope"]))
    assert result.exit_code == 1
    assert "rejected -:2: malformed JSON" in result.stderr
    assert "1 rejected" in result.stdout


def test_eras_by_the_fields_present() -> None:
    assert era_of_post(read(encode(post(1)))) == "2012"
    assert era_of_post(read(encode(post(1, quote_count=0)))) == "2017"
    long = post(2, truncated=True, extended_tweet={"full_text": "long " * 40, "entities": {}})
    assert era_of_post(read(encode(post(3, retweeted_status=long)))) == "2017"  # from the original
    edited = post(4, edit_history={"initial_tweet_id": "4", "edit_tweet_ids": ["4"]}, reply_count=1)
    assert era_of_post(read(encode(edited))) == "2022"


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Example.org/a?b", "example.org"),
        ("http://sub.example.net:8080/", "sub.example.net"),
        ("https://t.co/x", "t.co"),
        ("not a url", None),
        ("http://[::1/", None),
    ],
)
def test_domains(url: str, domain: str | None) -> None:
    assert domain_of(url) == domain


def test_plot_writes_a_picture(tmp_path: Path) -> None:
    picture = tmp_path / "days.png"
    result = stats("--plot", str(picture), "-q", input=feed())
    assert result.exit_code == 0, result.stderr
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    svg = tmp_path / "days.svg"
    assert stats("--plot", str(svg), "-q", str(GOLDEN / "retweet" / "native.json")).exit_code == 0
    assert b"<svg" in svg.read_bytes()[:400]
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["days.png", "days.svg"]  # no temporary left


def test_plot_without_matplotlib_says_which_extra(tmp_path: Path) -> None:
    code = "import sys; sys.modules['matplotlib'] = None; from xformat.cli import main; main()"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, "stats", "-", "--plot", str(tmp_path / "d.png")],
        input=feed(),
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode() == "xformat stats: --plot needs matplotlib: pip install 'xformat[plot]'\n"
    assert not list(tmp_path.iterdir())


def test_library_stats_of_files(tmp_path: Path) -> None:
    from xformat.export import collect_stats

    (tmp_path / "feed.ndjson").write_bytes(feed())
    found = collect_stats([str(tmp_path)])
    assert (found.counts.rows, found.counts.duplicates, found.counts.balanced) == (5, 1, True)
    assert found.to_dict()["inputs"] == [str(tmp_path / "feed.ndjson")]
