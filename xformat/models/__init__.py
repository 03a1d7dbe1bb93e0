"""Both formats as msgspec structs: the single definition the schemas are generated from."""

from xformat.models import activity, common, feed, native
from xformat.models.activity import Activity, DeleteActivity
from xformat.models.feed import InfoNotice
from xformat.models.native import DeleteNotice, Post

__all__ = [
    "Activity",
    "DeleteActivity",
    "DeleteNotice",
    "InfoNotice",
    "Post",
    "activity",
    "common",
    "feed",
    "native",
]
