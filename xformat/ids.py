"""Ids of posts and their authors in any format, and the limits X's policy sets on id lists.

Where a format keeps a post's id, its author's and the posts embedded in it is the format's to
say (``xformat.formats``): an Activity Streams record names its post in an IRI
(``tag:search.twitter.com,2005:<id>``) and its author as ``id:twitter.com:<id>``; a native
record has ``id_str`` and ``user.id_str`` (``id`` may be a mangled float: never used).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xformat import formats

__all__ = [
    "HYDRATED_PER_RECIPIENT_PER_DAY",
    "POST_IDS_PER_ENTITY_PER_30_DAYS",
    "RETWEETED",
    "MemberPath",
    "author_id",
    "chunk_path",
    "deleted_id",
    "embedded",
    "limit_warnings",
    "post_id",
    "posts_in",
]

PostModel = Any
"""A decoded post of any format (``xformat.models.Post``, ``Activity``...)."""
MemberPath = tuple[str, ...]
"""Members leading from a record to a post embedded in it: ``()`` is the record itself."""

RETWEETED = frozenset().union(*(fmt.retweeted for fmt in formats.FORMATS))
"""Members that hold a Retweet's original, in any format: the Retweet is nothing but a copy of it."""

HYDRATED_PER_RECIPIENT_PER_DAY = 50_000
"""Hydrated post and user objects that may be shared with one recipient per day."""
POST_IDS_PER_ENTITY_PER_30_DAYS = 1_500_000
"""Post ids that may be given to one entity in 30 days (academic non-commercial research exempt)."""


def post_id(post: Any) -> str:
    return formats.of_value(post)[0].post_id(post)


def author_id(post: Any) -> str | None:
    """None for the rare early-2011 activity whose actor has no id (and its native form)."""
    return formats.of_value(post)[0].author_id(post)


def deleted_id(notice: Any) -> str:
    """The id of the post a deletion notice names."""
    return formats.of_value(notice)[0].deleted_id(notice)


def embedded(post: Any) -> Iterator[tuple[str, Any]]:
    """The posts copied into ``post`` (a Retweet's original, a quoted post), each with its member."""
    return formats.of_value(post)[0].embedded(post)


def posts_in(post: PostModel, path: MemberPath = ()) -> Iterator[tuple[MemberPath, PostModel]]:
    """The record's own post, then every post embedded in it at any depth, parents first."""
    yield path, post
    for member, inner in embedded(post):
        yield from posts_in(inner, (*path, member))


def limit_warnings(count: int, *, users: bool, academic: bool) -> list[str]:
    """What X's Developer Policy ("Redistribution of X content") says about sharing ``count`` ids."""
    kind = "user" if users else "post"
    notes = []
    if count > HYDRATED_PER_RECIPIENT_PER_DAY:
        notes.append(
            f"{count:,} {kind} ids: share them as ids; hydrated {kind} objects may go to one recipient "
            f"{HYDRATED_PER_RECIPIENT_PER_DAY:,} a day at most (--chunk {HYDRATED_PER_RECIPIENT_PER_DAY} "
            "splits the list into parts of that size)"
        )
    # The 30-day cap counts post ids only; the academic exemption lifts it (and covers user ids).
    if not users and count > POST_IDS_PER_ENTITY_PER_30_DAYS:
        if academic:
            notes.append(
                f"{count:,} post ids exceed {POST_IDS_PER_ENTITY_PER_30_DAYS:,}, the limit per entity per 30 days; "
                "--academic: redistribution on behalf of an academic institution for non-commercial "
                "research only is exempt"
            )
        else:
            notes.append(
                f"{count:,} post ids exceed {POST_IDS_PER_ENTITY_PER_30_DAYS:,}, the limit per entity per 30 days "
                "without X's express written permission (academic non-commercial research is exempt: --academic)"
            )
    return notes


CHUNK_NUMBERS = r"\d{4,}"
"""What stands for ``{}`` in ``chunk_pattern``."""


def chunk_pattern(output: str) -> str:
    """The names of the parts of an id list split from ``output``, ``{}`` for the number.

    ``ids.txt`` -> ``ids.{}.txt``; a name without ``.txt`` gets the suffix: ``ids`` ->
    ``ids.{}.txt``.
    """
    path = Path(output)
    stem = path.name[: -len(".txt")] if path.name.endswith(".txt") else path.name
    return str(path.with_name(f"{stem}.{{}}.txt"))


def chunk_path(output: str, number: int) -> str:
    """Name of the ``number``-th part (from 1): ``ids.txt`` -> ``ids.0001.txt``. Numbers have
    four digits at least, so parts sort in order."""
    pattern = chunk_pattern(output)
    at = pattern.rindex("{}")
    return pattern[:at] + f"{number:04d}" + pattern[at + 2 :]
