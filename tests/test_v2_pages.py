"""Reading v2 pages: one bundle per post, every include resolved, nothing a page holds rejected.

The twarc2-flattened form of a page gives the same bundles as the page itself; ``flatten`` in
``tests/v2_strategies.py`` is twarc2's algorithm written out independently, the oracle.
"""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from msgspec import UNSET
from msgspec.structs import replace

from tests.v2_strategies import flatten, v2_pages
from xformat.models.v2 import V2FlatPost, V2Page, V2StreamLine
from xformat.v2pages import Bundle, Tally, bundle_of, posts_of

AUTHOR = {"id": "2244994945", "name": "Dev Harbor", "username": "DevHarbor"}
OTHER = {"id": "783214", "name": "Quill Post", "username": "quillpost"}


def page(value: Any) -> V2Page:
    return msgspec.convert(value, V2Page)


def post(post_id: str, **members: Any) -> dict[str, Any]:
    return {"id": post_id, "text": f"post {post_id}", "edit_history_tweet_ids": [post_id], **members}


def test_a_page_of_default_fields_yields_bare_bundles() -> None:
    tally = Tally()
    found = list(posts_of(page({"data": [post("20"), post("10")], "meta": {"result_count": 2}}), tally))
    assert [b.post.id for b in found] == ["20", "10"]
    assert all(
        b.author is None and b.media == () and b.poll is None and b.referenced == () and b.matching_rules is None
        for b in found
    )
    assert tally == Tally(lines=1, posts=2)


def test_includes_are_resolved_by_id_key_and_username() -> None:
    value = {
        "data": post(
            "30",
            author_id=AUTHOR["id"],
            in_reply_to_user_id=OTHER["id"],
            referenced_tweets=[{"type": "quoted", "id": "5"}, {"type": "replied_to", "id": "4"}],
            attachments={"media_keys": ["3_7", "16_8", "3_9"], "poll_ids": ["11"]},
            geo={"place_id": "01a9a39529b27f36"},
            entities={"mentions": [{"start": 0, "end": 10, "username": "QUILLPOST"}]},
        ),
        "includes": {
            "users": [AUTHOR, OTHER],
            "tweets": [post("5", author_id=OTHER["id"])],
            "media": [{"media_key": "16_8", "type": "animated_gif"}, {"media_key": "3_7", "type": "photo"}],
            "places": [{"id": "01a9a39529b27f36", "full_name": "Springfield, Testshire"}],
            "polls": [{"id": "11", "options": [{"position": 1, "label": "yes", "votes": 3}]}],
        },
        "matching_rules": [{"id": 1377649934414049282, "tag": None}],
    }
    tally = Tally()
    (bundle,) = posts_of(msgspec.convert(value, V2StreamLine), tally)
    assert bundle.author is not None and bundle.author.username == "DevHarbor"
    assert bundle.in_reply_to_user is not None and bundle.in_reply_to_user.id == OTHER["id"]
    assert list(bundle.mentions) == ["quillpost"]  # matched whatever the case in the mention
    assert [None if m is None else m.media_key for m in bundle.media] == ["3_7", "16_8", None]
    assert bundle.poll is not None and bundle.poll.id == "11"
    assert bundle.place is not None and bundle.place.full_name == "Springfield, Testshire"
    quoted, replied = bundle.referenced
    assert (quoted.type, quoted.id, replied.type, replied.id) == ("quoted", "5", "replied_to", "4")
    assert quoted.bundle is not None and quoted.bundle.author is not None and quoted.bundle.author.id == OTHER["id"]
    assert quoted.bundle.matching_rules is None  # the rules are the line's, on the top post only
    assert replied.bundle is None
    assert bundle.matching_rules is not None and bundle.matching_rules[0].id == 1377649934414049282
    # the third media key is missing; a reply's parent is rarely asked for and not counted
    assert tally == Tally(lines=1, posts=1, missing=1)


def test_lines_without_posts_are_counted_never_rejected() -> None:
    tally = Tally()
    disconnect = {
        "errors": [
            {
                "title": "operational-disconnect",
                "disconnect_type": "UpstreamOperationalDisconnect",
                "detail": "This stream has been disconnected upstream for operational reasons.",
                "type": "https://api.twitter.com/2/problems/operational-disconnect",
            }
        ]
    }
    assert list(posts_of(msgspec.convert(disconnect, V2StreamLine), tally)) == []
    assert list(posts_of(page({"meta": {"result_count": 0}}), tally)) == []
    partial = {
        "data": [post("40")],
        "errors": [{"value": "3", "resource_id": "3", "parameter": "referenced_tweets.id", "title": "Not Found Error"}],
    }
    assert len(list(posts_of(page(partial), tally))) == 1
    assert tally == Tally(lines=3, posts=1, empty=1, errors_only=1, errors=2)


def test_references_are_resolved_two_levels_deep_and_never_in_a_circle() -> None:
    value = {
        "data": [post("3", referenced_tweets=[{"type": "retweeted", "id": "2"}])],
        "includes": {
            "tweets": [
                post("2", referenced_tweets=[{"type": "quoted", "id": "1"}]),
                post("1", referenced_tweets=[{"type": "quoted", "id": "3"}]),  # a broken file's circle
            ]
        },
    }
    tally = Tally()
    (bundle,) = posts_of(page(value), tally)
    original = bundle.referenced[0].bundle
    assert original is not None and original.post.id == "2"
    inner = original.referenced[0].bundle
    assert inner is not None and inner.post.id == "1"
    assert inner.referenced[0].bundle is None
    assert tally.missing == 1


def comparable(bundle: Bundle, depth: int = 0) -> Bundle:
    """A bundle as the flattened form of its page can give it back.

    twarc2 merges each mention with its user, so a mention whose user the page included carries
    that user's id even when the page's mention had none. And twarc2 inlines an included post
    into another included post as it stands at that moment, expanded or not (it depends on their
    order in the page): below the first level, only the post itself is certain.
    """

    def merged(entities: Any) -> Any:
        if entities is UNSET or not entities.mentions:
            return entities
        mentions = []
        for m in entities.mentions:
            user = bundle.mentions.get(m.username.lower())
            if depth >= 2:
                m = replace(m, id=UNSET)
            elif user is not None:
                m = replace(m, id=user.id)
            mentions.append(m)
        return replace(entities, mentions=mentions)

    post = replace(bundle.post, entities=merged(bundle.post.entities))
    if post.note_tweet is not UNSET:
        post = replace(post, note_tweet=replace(post.note_tweet, entities=merged(post.note_tweet.entities)))
    if depth >= 2:
        return Bundle(post, None, None, {}, (), None, None, (), bundle.matching_rules, bundle.twarc)
    referenced = tuple(
        ref if ref.bundle is None else ref._replace(bundle=comparable(ref.bundle, depth + 1))
        for ref in bundle.referenced
    )
    return bundle._replace(post=post, referenced=referenced, kept=None)  # kept: a converter's table


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v2_pages())
def test_a_flattened_page_gives_the_bundles_of_the_page(value: dict[str, Any]) -> None:
    page_tally, flat_tally = Tally(), Tally()
    from_page = list(posts_of(page(value), page_tally))
    flat_lines = flatten(value)
    from_flat = [bundle_of(msgspec.convert(line, V2FlatPost), flat_tally) for line in flat_lines]
    assert [b.post.id for b in from_page] == [line["id"] for line in flat_lines]
    assert [comparable(b) for b in from_page] == [comparable(b) for b in from_flat]
    assert page_tally.posts == flat_tally.posts
    # below the first level, a flattened line may lack what its page had (see comparable)
    assert flat_tally.missing >= page_tally.missing
