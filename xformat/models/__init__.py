"""Both formats as msgspec structs: the single definition the schemas are generated from."""

from xformat.models import activity, common, feed, native
from xformat.models.activity import Activity, ComplianceActivity, DeleteActivity
from xformat.models.feed import ErrorNotice, InfoNotice, WarnNotice
from xformat.models.native import ComplianceNotice, DeleteNotice, Post

__all__ = [
    "Activity",
    "ComplianceActivity",
    "ComplianceNotice",
    "DeleteActivity",
    "DeleteNotice",
    "ErrorNotice",
    "InfoNotice",
    "Post",
    "WarnNotice",
    "activity",
    "common",
    "feed",
    "native",
]
