"""xformat: X (Twitter) data in Enriched Native, Activity Streams and X API v2 formats.

>>> import xformat
>>> post = xformat.read(line)                 # any format -> a ReadPost: a native Post's accessors
>>> post.full_text, post.post_type, post.hashtags
>>> result = xformat.to_activity(post)        # -> Converted(value, losses, unknown)
>>> xformat.to_v2(post).json()                # -> an X API v2 stream line
>>> for post in xformat.iter_posts("archive/"): ...   # v2 pages give each of their posts
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from xformat import convert as _convert
    from xformat.convert import LOSSES, Converted, Converter
    from xformat.decoding import decode
    from xformat.errors import LossError, RecordError, UsageError, XFormatError
    from xformat.models import Activity, DeleteActivity, DeleteNotice, Post
    from xformat.reading import iter_posts, read
    from xformat.readpost import ReadPost

    # Not imported by name: mypy takes those names for the submodules they share them with.
    to_activity = _convert.to_activity
    to_native = _convert.to_native
    to_v2 = _convert.to_v2

# Each name's module is imported on first use: a command (``xformat validate``) or a script that
# needs one part of the library does not load the converters and every model at start-up.
_HOMES = {
    "LOSSES": "xformat.convert",
    "Converted": "xformat.convert",
    "Converter": "xformat.convert",
    "to_activity": "xformat.convert",
    "to_native": "xformat.convert",
    "to_v2": "xformat.convert",
    "decode": "xformat.decoding",
    "LossError": "xformat.errors",
    "RecordError": "xformat.errors",
    "UsageError": "xformat.errors",
    "XFormatError": "xformat.errors",
    "Activity": "xformat.models",
    "DeleteActivity": "xformat.models",
    "DeleteNotice": "xformat.models",
    "Post": "xformat.models",
    "iter_posts": "xformat.reading",
    "read": "xformat.reading",
    "ReadPost": "xformat.readpost",
}

__all__ = [
    "LOSSES",
    "Activity",
    "Converted",
    "Converter",
    "DeleteActivity",
    "DeleteNotice",
    "LossError",
    "Post",
    "ReadPost",
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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'xformat' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
