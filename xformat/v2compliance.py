"""Compliance results applied to X API v2 records: pages, stream lines and flattened posts.

A v2 page keeps each post once, in ``data`` or, when another post references it, in
``includes.tweets``, and the objects posts reference (users, media, places, polls) once in
``includes``. Under compliance:

- a removed post leaves ``data`` and ``includes.tweets``; a post of a removed user likewise; a
  Retweet of a removed post leaves with it (it is nothing but a copy), a quote or a reply stays
  without the copy of the post it references;
- a removed user leaves ``includes.users``;
- ``scrub_geo`` clears a post's ``geo``;
- objects of ``includes`` that only what left (or what lost its geo) referenced leave too: the
  media of a removed post, the place of a scrubbed one when no other post of the page uses it;
- ``meta.result_count`` follows; a record whose every post left, leaves.

Decisions are taken on the decoded record, edits on its untyped form, so that everything else
stays as it was. An edited record loses its ``xformat_lossless`` member: a patch written before
the edit could restore what compliance removed.
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET

from xformat.compliance import RETWEET_OF_REMOVED, Actions, Report
from xformat.convert.lossless import MEMBER as LOSSLESS_MEMBER
from xformat.models.v2 import V2FlatPost, V2FlatReference, V2Page, V2Post, V2StreamLine
from xformat.v2pages import referenced_keys

__all__ = ["comply_flat", "comply_page"]


def comply_page(raw: bytes, page: V2Page | V2StreamLine, actions: Actions, report: Report) -> bytes | None:
    """A page or stream line as it may stay under ``actions``: ``raw`` when nothing changes,
    None when none of its posts stays."""
    data = page.data
    posts: list[V2Post] = [] if data is UNSET else data if isinstance(data, list) else [data]
    included = [] if page.includes is UNSET else page.includes.tweets or []
    gone = {post.id: why for post in (*posts, *included) if (why := actions.removal(post)) is not None}
    leaving = {post.id: why for post in posts if (why := _leaves(post, gone, actions)) is not None}
    kept = [post for post in posts if post.id not in leaving]
    scrubbed = {
        post.id for post in (*kept, *included) if post.id not in gone and post.geo is not UNSET and actions.scrubs(post)
    }
    removed_users = [
        user.id
        for user in ([] if page.includes is UNSET else page.includes.users or [])
        if user.id in actions.removed_users
    ]
    for why in leaving.values():
        report.removed[why] += 1
    if posts and not kept:
        return None
    report.kept += len(kept)
    if not leaving and not scrubbed and not (gone.keys() & {post.id for post in included}) and not removed_users:
        return raw
    body = msgspec.json.decode(raw)
    copies = _edited(body, leaving, gone, scrubbed, set(removed_users))
    report.copies_removed += copies
    report.scrubbed += len(scrubbed & {post.id for post in kept})
    return msgspec.json.encode(body)


def _leaves(post: V2Post | V2FlatPost | V2FlatReference, gone: dict[str, str], actions: Actions) -> str | None:
    """Why ``post`` leaves: it is removed, or it is a Retweet of a post that is."""
    why = gone.get(post.id)
    if why is not None:
        return why
    for ref in post.referenced_tweets or ():
        if ref.type == "retweeted" and (ref.id in gone or ref.id in actions.removed_posts):
            return RETWEET_OF_REMOVED
    return None


def _edited(
    body: dict[str, Any], leaving: dict[str, str], gone: dict[str, str], scrubbed: set[str], users: set[str]
) -> int:
    """Edits ``body`` (a parsed page) in place; the number of copies of removed posts dropped
    from includes that a staying post referenced."""
    single = isinstance(body.get("data"), dict)
    posts = [body["data"]] if single else [p for p in body.get("data", []) if isinstance(p, dict)]
    found = body.get("includes")
    includes: dict[str, Any] = found if isinstance(found, dict) else {}
    before: dict[str, set[Any]] = {}
    for post in posts:
        for group, keys in referenced_keys(post, includes).items():
            before.setdefault(group, set()).update(keys)
    kept = [post for post in posts if post.get("id") not in leaving]
    listed = includes.get("tweets")
    tweets: list[Any] = listed if isinstance(listed, list) else []
    copies = sum(
        1
        for item in tweets
        if isinstance(item, dict) and item.get("id") in gone and any(_references(p, item.get("id")) for p in kept)
    )
    if "tweets" in includes:
        includes["tweets"] = [item for item in tweets if not (isinstance(item, dict) and item.get("id") in gone)]
    if "users" in includes and isinstance(includes["users"], list):
        includes["users"] = [u for u in includes["users"] if not (isinstance(u, dict) and u.get("id") in users)]
    for post in (*kept, *includes.get("tweets", [])):
        if isinstance(post, dict) and post.get("id") in scrubbed:
            post.pop("geo", None)
    after: dict[str, set[Any]] = {}
    for post in kept:
        for group, keys in referenced_keys(post, includes).items():
            after.setdefault(group, set()).update(keys)
    for group, keys in before.items():
        dropped = keys - after.get(group, set())
        if dropped and isinstance(includes.get(group), list) and group != "tweets":
            key = "media_key" if group == "media" else "id"
            includes[group] = [i for i in includes[group] if not (isinstance(i, dict) and i.get(key) in dropped)]
    for group in [group for group, items in includes.items() if items == []]:
        del includes[group]  # v2 leaves out a group it has nothing for
    if "includes" in body and not includes:
        del body["includes"]
    if single:
        body["data"] = kept[0]
    else:
        body["data"] = kept
        meta = body.get("meta")
        if isinstance(meta, dict) and "result_count" in meta:
            meta["result_count"] = len(kept)
    body.pop(LOSSLESS_MEMBER, None)
    return copies


def _references(post: dict[str, Any], post_id: Any) -> bool:
    refs = post.get("referenced_tweets")
    return isinstance(refs, list) and any(isinstance(r, dict) and r.get("id") == post_id for r in refs)


def comply_flat(raw: bytes, flat: V2FlatPost, actions: Actions, report: Report) -> bytes | None:
    """A ``twarc2 flatten`` line as it may stay: the posts it inlines are its referenced ones."""
    refs: list[V2FlatReference] = [ref for ref in flat.referenced_tweets or () if ref.text is not UNSET]
    posts: list[V2FlatPost | V2FlatReference] = [flat, *refs]
    gone = {post.id: why for post in posts if (why := actions.removal(post)) is not None}
    why = _leaves(flat, gone, actions)
    if why is not None:
        report.removed[why] += 1
        return None
    report.kept += 1
    scrubbed = {
        post.id for post in posts if post.id not in gone and post.geo is not UNSET and actions.scrubs(post)
    }
    if not gone and not scrubbed:
        return raw
    body = msgspec.json.decode(raw)
    for index, ref in enumerate(body.get("referenced_tweets") or []):
        if not isinstance(ref, dict):
            continue
        if ref.get("id") in gone:  # the copy leaves, the reference stays (as v2 gives one not included)
            body["referenced_tweets"][index] = {"type": ref.get("type"), "id": ref.get("id")}
            report.copies_removed += 1
        elif ref.get("id") in scrubbed:
            ref.pop("geo", None)
    if body.get("id") in scrubbed:
        body.pop("geo", None)
        report.scrubbed += 1
    body.pop(LOSSLESS_MEMBER, None)
    return msgspec.json.encode(body)
