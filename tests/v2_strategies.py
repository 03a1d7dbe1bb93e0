"""Hypothesis strategies for X API v2 data, and twarc2's flatten as an independent oracle.

A v2 line is the stream line ``to_v2`` makes of a native sample (``tests/strategies.py``: all
invented), then varied the ways real v2 captures vary: a request for the default fields only,
includes a page lacks (deleted, protected or not asked for), 2021-era shapes (no mention ids, no
URL entity for attached media, a numeric rule id with a null tag), 2022 quirks (edits_remaining as
a JSON string), members native has no place for (conversation_id, reply_settings, impression
counts, link previews, user pinned posts), twarc2's ``__twarc``. ``clean`` says no variation was
applied, so the line must come back as it was.

``flatten`` is twarc2's ``expansions.flatten`` written out again from its documented behaviour
(the project's v2 format notes), independently of ``xformat.v2pages``, so that the two can be compared.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import msgspec
from hypothesis import strategies as st

from tests.strategies import WORDS, native_posts
from xformat.convert.to_v2 import post_to_v2
from xformat.models.native import Post

_ENCODER = msgspec.json.Encoder()


@dataclass
class V2Sample:
    line: dict[str, Any]
    clean: bool
    notes: tuple[str, ...] = ()


def canonical_line(native: dict[str, Any]) -> dict[str, Any]:
    """``to_v2`` of a native post, as parsed JSON."""
    line: dict[str, Any] = msgspec.json.decode(_ENCODER.encode(post_to_v2(msgspec.convert(native, Post), [])))
    return line


def _posts(line: dict[str, Any]) -> list[dict[str, Any]]:
    return [line["data"], *line.get("includes", {}).get("tweets", [])]


VARIATIONS = (
    "default_fields", "no_author", "no_referenced", "no_media", "no_mention_ids", "no_media_links",
    "edits_remaining_string", "numeric_rule_id", "absent_tag", "twarc", "conversation", "reply_settings",
    "impressions", "url_images", "pinned", "time_ms", "reordered_refs", "reply_parent",
)  # fmt: skip


@st.composite
def v2_lines(draw: Any, varied: bool | None = None) -> V2Sample:
    """A v2 stream line: canonical, or varied as real captures vary (each variation a declared loss,
    or, for edits_remaining as a string, a form that comes back unchanged)."""
    base = draw(native_posts())
    line = canonical_line(base.data)
    if varied is None:
        varied = draw(st.booleans())
    chosen = sorted(draw(st.sets(st.sampled_from(VARIATIONS), min_size=1, max_size=4))) if varied else []
    applied = [name for name in chosen if _vary(draw, line, name)]
    # What the variations emptied goes, as the API leaves out an empty group and empty includes.
    includes = line.get("includes", {})
    for group in [group for group, items in includes.items() if not items]:
        del includes[group]
    if "includes" in line and not includes:
        del line["includes"]
    return V2Sample(line, clean=not applied, notes=(*base.notes, *applied))


def _vary(draw: Any, line: dict[str, Any], name: str) -> bool:
    """Applies one variation; False when the line has nothing it applies to."""
    data = line["data"]
    includes = line.get("includes", {})
    if name == "default_fields":
        keep = {key: data[key] for key in ("id", "text", "edit_history_tweet_ids") if key in data}
        line.clear()
        line["data"] = keep
        return True
    if name == "no_author":
        users = includes.get("users", [])
        kept = [u for u in users if u["id"] != data.get("author_id")]
        if len(kept) == len(users):
            return False
        includes["users"] = kept
        return True
    if name == "no_referenced":  # deleted or protected: neither the posts nor their authors
        if not includes.get("tweets"):
            return False
        del includes["tweets"]
        mentions = [
            m for where in (data, data.get("note_tweet", {})) for m in where.get("entities", {}).get("mentions", [])
        ]
        wanted_ids = {data.get("author_id"), data.get("in_reply_to_user_id")} | {m.get("id") for m in mentions}
        wanted_names = {m["username"].lower() for m in mentions}
        includes["users"] = [
            u for u in includes.get("users", []) if u["id"] in wanted_ids or u["username"].lower() in wanted_names
        ]
        attachments = data.get("attachments", {})
        kept = {
            "media": ("media_key", set(attachments.get("media_keys", []))),
            "polls": ("id", set(attachments.get("poll_ids", []))),
            "places": ("id", {data.get("geo", {}).get("place_id")}),
        }
        for group, (key, wanted) in kept.items():
            if group in includes:
                includes[group] = [item for item in includes[group] if item[key] in wanted]
        for group in [group for group, items in includes.items() if not items]:
            del includes[group]
        return True
    if name == "no_media":
        if not includes.get("media"):
            return False
        del includes["media"]
        return True
    if name == "no_mention_ids":
        found = [m for post in _posts(line) for m in post.get("entities", {}).get("mentions", []) if "id" in m]
        for mention in found:
            del mention["id"]
        return bool(found)
    if name == "no_media_links":
        changed = False
        for post in _posts(line):
            urls = post.get("entities", {}).get("urls", [])
            kept = [u for u in urls if "media_key" not in u]
            if len(kept) != len(urls):
                changed = True
                if kept:
                    post["entities"]["urls"] = kept
                else:
                    del post["entities"]["urls"]
                    if not post["entities"]:
                        del post["entities"]
        return changed
    if name == "edits_remaining_string":
        controls = data.get("edit_controls", {})
        if not isinstance(controls.get("edits_remaining"), int):
            return False
        controls["edits_remaining"] = str(controls["edits_remaining"])
        return False  # a form that comes back as it is: not a variation the line loses
    if name in ("numeric_rule_id", "absent_tag"):
        rules = line.get("matching_rules", [])
        if not rules:
            return False
        if name == "numeric_rule_id":
            rules[0]["id"] = int(rules[0]["id"])
        else:
            rules[0].pop("tag", None)
        return True
    if name == "twarc":
        line["__twarc"] = {
            "url": "https://api.twitter.com/2/tweets/search/recent?query=%23test",
            "version": "2.14.0",
            "retrieved_at": "2023-01-05T10:11:12+00:00",
        }
        return True
    if name == "conversation":
        data["conversation_id"] = data["id"]
        return True
    if name == "reply_settings":
        data["reply_settings"] = draw(st.sampled_from(["everyone", "mentionedUsers", "following"]))
        return True
    if name == "impressions":
        data.setdefault("public_metrics", {})["impression_count"] = draw(st.integers(0, 10**6))
        return True
    if name == "url_images":
        urls = [u for u in data.get("entities", {}).get("urls", []) if "media_key" not in u]
        if not urls:
            return False
        urls[0]["images"] = [{"url": "https://pbs.twimg.com/news_img/1/a?format=jpg", "width": 1200, "height": 630}]
        return True
    if name == "pinned":
        users = includes.get("users", [])
        if not users:
            return False
        users[0]["pinned_tweet_id"] = data["id"]
        return True
    if name == "time_ms":
        if "created_at" not in data:
            return False
        data["created_at"] = data["created_at"][:-5] + f".{draw(st.integers(1, 999)):03d}Z"
        return True
    if name == "reordered_refs":
        refs = data.get("referenced_tweets", [])
        if len(refs) < 2:
            return False
        refs.reverse()
        return True
    if name == "reply_parent":
        parent = next((r["id"] for r in data.get("referenced_tweets", []) if r["type"] == "replied_to"), None)
        if parent is None:
            return False
        parent_post = {"id": parent, "text": draw(st.sampled_from(WORDS)), "edit_history_tweet_ids": [parent]}
        line.setdefault("includes", {}).setdefault("tweets", []).append(parent_post)
        return True
    raise AssertionError(name)


@st.composite
def v2_pages(draw: Any) -> dict[str, Any]:
    """A response page: the posts of 1-3 lines, their includes merged (each object once),
    with paging ``meta`` and, sometimes, ``errors`` beside the data."""
    lines: list[dict[str, Any]] = []
    taken: set[str] = set()
    for _ in range(draw(st.integers(1, 3))):
        line = draw(v2_lines()).line
        keys = _keys(line)
        if keys is not None and not keys & taken:  # samples may share an id or a username: pages cannot
            lines.append(line)
            taken |= keys
    page: dict[str, Any] = {"data": [line["data"] for line in lines]}
    includes: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        for group, items in line.get("includes", {}).items():
            have = includes.setdefault(group, [])
            key = "media_key" if group == "media" else "id"
            have += [item for item in items if all(item[key] != other[key] for other in have)]
    if includes:
        page["includes"] = includes
    page["meta"] = {"result_count": len(lines), "next_token": "b26v89c19zqg8o3fos"}
    if draw(st.booleans()):
        page["errors"] = [
            {
                "value": "1",
                "detail": "Could not find tweet with referenced_tweets.id: [1].",
                "title": "Not Found Error",
                "resource_type": "tweet",
                "parameter": "referenced_tweets.id",
                "resource_id": "1",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
        ]
    return page


def _keys(line: dict[str, Any]) -> set[str] | None:
    """Every id and username a line holds, so that lines merged into a page stay consistent; None
    when one account's username is another's id. twarc2 looks users up by id and by username in one
    table, so such a page (real, but unlikely past telling) gets users mixed up when flattened."""
    includes = line.get("includes", {})
    keys = {f"post:{post['id']}" for post in _posts(line)}
    keys |= {f"media:{m['media_key']}" for m in includes.get("media", [])}
    keys |= {f"{group}:{item['id']}" for group in ("places", "polls") for item in includes.get(group, [])}
    accounts: dict[str, str] = {}  # id or lower-cased username -> the account's id (None: unknown)
    named = [(u["id"], u["username"]) for u in includes.get("users", [])]
    for post in _posts(line):
        named += [(m.get("id", ""), m["username"]) for m in post.get("entities", {}).get("mentions", [])]
        named += [(post[key], "") for key in ("author_id", "in_reply_to_user_id") if key in post]
    for account, username in named:
        for key in (account, username.lower()):
            if key and accounts.setdefault(key, account) != account and account and accounts[key]:
                return None
    return keys | {f"account:{key}" for key in accounts}


# --- twarc2's flatten, written out again ---------------------------------------------------------


def flatten(response: dict[str, Any]) -> list[dict[str, Any]]:
    """``twarc2 flatten`` of one response: a post a line, includes inlined, ``{}`` for the missing."""
    response = copy.deepcopy(response)
    includes = response.get("includes", {})
    users = {u["id"]: u for u in includes.get("users", [])} | {u["username"]: u for u in includes.get("users", [])}
    media = {m["media_key"]: m for m in includes.get("media", [])}
    polls = {p["id"]: p for p in includes.get("polls", [])}
    places = {p["id"]: p for p in includes.get("places", [])}
    tweets = {t["id"]: t for t in includes.get("tweets", [])}

    def expand(payload: Any) -> Any:
        if isinstance(payload, list):
            return [expand(item) for item in payload]
        if not isinstance(payload, dict):
            return payload
        for key, value in payload.items():
            payload[key] = expand(value)
        if "author_id" in payload:
            payload["author"] = users.get(payload["author_id"], {})
        if "in_reply_to_user_id" in payload:
            payload["in_reply_to_user"] = users.get(payload["in_reply_to_user_id"], {})
        if "media_keys" in payload:
            payload["media"] = [media.get(key, {}) for key in payload["media_keys"]]
        if payload.get("poll_ids"):
            payload["poll"] = polls.get(payload["poll_ids"][-1], {})
        if "geo" in payload and "place_id" in payload["geo"]:
            payload["geo"] = {**payload["geo"], **places.get(payload["geo"]["place_id"], {})}
        if "mentions" in payload:
            payload["mentions"] = [{**m, **users.get(m["username"], {})} for m in payload["mentions"]]
        if "referenced_tweets" in payload:
            payload["referenced_tweets"] = [{**r, **tweets.get(r["id"], {})} for r in payload["referenced_tweets"]]
        return payload

    for tweet_id in list(tweets):
        tweets[tweet_id] = expand(tweets[tweet_id])
    data = response.get("data")
    if data is None:
        return []
    posts = expand(data if isinstance(data, list) else [data])
    for post in posts:
        if "__twarc" in response:
            post["__twarc"] = response["__twarc"]
        if "matching_rules" in response:
            post["matching_rules"] = response["matching_rules"]
    return posts
