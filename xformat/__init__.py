"""xformat: X (Twitter) data in Enriched Native, Activity Streams and X API v2 formats.

>>> import xformat
>>> post = xformat.read(line)                 # any format -> native Post, with accessors
>>> post.full_text, post.post_type, post.hashtags
>>> result = xformat.to_activity(post)        # -> Converted(value, losses, unknown)
>>> xformat.to_v2(post).json()                # -> an X API v2 stream line
>>> for post in xformat.iter_posts("archive/"): ...   # v2 pages give each of their posts
"""

from __future__ import annotations

__version__ = "0.1.0"

from xformat.convert import LOSSES, Converted, Converter, to_activity, to_native, to_v2
from xformat.decoding import decode
from xformat.errors import LossError, RecordError, UsageError, XFormatError
from xformat.models import Activity, DeleteActivity, DeleteNotice, Post
from xformat.reading import iter_posts, read

__all__ = [
    "LOSSES",
    "Activity",
    "Converted",
    "Converter",
    "DeleteActivity",
    "DeleteNotice",
    "LossError",
    "Post",
    "RecordError",
    "UsageError",
    "XFormatError",
    "decode",
    "iter_posts",
    "read",
    "to_activity",
    "to_native",
    "to_v2",
]
