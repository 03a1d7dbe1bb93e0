"""Small synthetic records for unit tests (invented people, texts and ids)."""

from __future__ import annotations

from typing import Any

USER: dict[str, Any] = {
    "id": 2244994945001,
    "id_str": "2244994945001",
    "name": "Mira Okafor",
    "screen_name": "mira_okafor_dev",
    "location": "Lagos",
    "url": None,
    "description": "Maps, rivers and bread.",
    "protected": False,
    "verified": False,
    "followers_count": 310,
    "friends_count": 122,
    "listed_count": 4,
    "favourites_count": 87,
    "statuses_count": 1904,
    "created_at": "Sat Dec 31 19:30:52 +0000 2016",
    "utc_offset": None,
    "time_zone": None,
    "lang": "en",
    "profile_image_url": "http://pbs.twimg.com/profile_images/synthetic-001/avatar_normal.jpg",
    "profile_image_url_https": "https://pbs.twimg.com/profile_images/synthetic-001/avatar_normal.jpg",
}


def native_post(**overrides: Any) -> dict[str, Any]:
    """A plain original post in canonical Enriched Native shape."""
    post: dict[str, Any] = {
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "id": 1050118621198921728,
        "id_str": "1050118621198921728",
        "text": "Bread day at the #riverside market $BRD",
        "source": '<a href="https://example.org/app" rel="nofollow">Harbor App</a>',
        "truncated": False,
        "in_reply_to_status_id": None,
        "in_reply_to_status_id_str": None,
        "in_reply_to_user_id": None,
        "in_reply_to_user_id_str": None,
        "in_reply_to_screen_name": None,
        "user": dict(USER),
        "geo": None,
        "coordinates": None,
        "place": None,
        "is_quote_status": False,
        "retweet_count": 2,
        "favorite_count": 5,
        "entities": {
            "hashtags": [{"text": "riverside", "indices": [17, 27]}],
            "symbols": [{"text": "BRD", "indices": [35, 39]}],
            "user_mentions": [],
            "urls": [],
        },
        "lang": "en",
        "filter_level": "low",
    }
    post.update(overrides)
    return post
