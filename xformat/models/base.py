"""The base struct and the annotated scalar types both formats share.

Every fact about a field (type, pattern, description, the year it arrived) lives here or in the
struct that uses it; the JSON Schemas in ``schemas/`` are generated from these annotations.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta


class Base(
    msgspec.Struct,
    kw_only=True,
    omit_defaults=True,
    forbid_unknown_fields=True,
):
    """Base of every model.

    ``forbid_unknown_fields`` makes the fast decode report a field the formats do not define;
    the tolerant path (``xformat.decoding``) then strips it and records where it was, so that
    unknown fields are tolerated, as the dictionary requires, but never dropped silently.
    """


def since(era: str, description: str) -> Meta:
    """Meta for a field that real feeds started to carry in ``era`` (a key of ``ERAS``)."""
    return Meta(description=description, extra_json_schema={"x-since": era})


# Schema eras: the dated feature sets that the registry serves side by side. A field annotated
# with ``since(era, ...)`` is absent from the schemas of earlier eras (and forbidden there).
ERAS: dict[str, str] = {
    "2012": "the 140-character era: posts, Retweets, media, places, matching rules, Klout",
    "2017": "polls (February 2017), long posts and reply/quote counts (November 2017)",
    "2022": "edit history and edit controls (September 2022); the current era",
}
CURRENT_ERA = "2022"

# Patterns end in (?!\n)$ because Python's $ also matches before a final newline ("123\n"); the
# published schemas then mean the same to every JSON Schema implementation.
IdStr = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{1,20}(?!\n)$",
        description="Decimal string form of a 64-bit id: the one to trust.",
        extra={"expected": "an id of 1 to 20 digits, like '1050118621198921728'"},
    ),
]
# Numeric ids exceed 53 bits; JavaScript tooling mangles them into floats. Accept both, never
# use them over the ``*_str`` form.
IdNum = Annotated[
    int | float,
    Meta(description="Numeric form of the id. May be a float or disagree with id_str: never trusted."),
]
NativeTime = Annotated[
    str,
    Meta(
        pattern=r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
        r"[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [+-][0-9]{4} [0-9]{4}(?!\n)$",
        description="Time in the native format, e.g. 'Wed Oct 10 20:19:24 +0000 2018'.",
        extra={"expected": "a time like 'Wed Oct 10 20:19:24 +0000 2018'"},
    ),
]
IsoTime = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\.[0-9]{1,6})?(Z|\+00:00)(?!\n)$",
        description="ISO 8601 UTC time, e.g. '2018-10-10T20:19:24.000Z'; feeds of 2011 and compliance "
        "events write the zone '+00:00'.",
        extra={"expected": "a UTC time like '2018-10-10T20:19:24.000Z'"},
    ),
]
MillisStr = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{1,16}(?!\n)$",
        description="Milliseconds since the epoch, as a string.",
        extra={"expected": "milliseconds since 1970 as digits, like '1539202764000'"},
    ),
]
Indices = Annotated[
    tuple[int, int],
    Meta(description="Start and end offsets of the entity in the text, in code points."),
]
LosslessPatch = Annotated[
    dict[str, Any],
    Meta(
        description="xformat's lossless-mode extension member: a patch that turns what converting "
        "this record back gives into the exact source record (see xformat.convert.lossless)."
    ),
]
