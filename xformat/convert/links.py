"""The IRIs and links Activity Streams derives from ids and screen names, for one domain.

Real feeds say ``twitter.com``; the dictionary's re-branded examples say ``x.com``. Output uses
the caller's domain; input in either domain is accepted.
"""

from __future__ import annotations

import re

from xformat.errors import RecordError, UsageError
from xformat.models.activity import Provider

DOMAINS = ("twitter.com", "x.com")
_STATUS_LINK = re.compile(
    r"^https?://(?:www\.)?(?:twitter|x)\.com/(?P<screen_name>[^/]+)/status(?:es)?/(?P<id>[0-9]{1,20})$"
)


class Links:
    """Builders of every derived IRI and link for ``domain``."""

    def __init__(self, domain: str = "twitter.com") -> None:
        if domain not in DOMAINS:
            raise UsageError(f"unknown domain {domain!r}: expected one of {', '.join(DOMAINS)}")
        self.domain = domain
        self.activity_prefix = f"tag:search.{domain},2005:"
        self.object_prefix = f"object:search.{domain},2005:"
        self.actor_prefix = f"id:{domain}:"
        self.user_prefix = f"tag:search.{domain},2012:user/"  # accounts in compliance events
        self.provider = Provider(
            objectType="service",
            displayName="Twitter" if domain == "twitter.com" else "X",
            link=f"http://www.{domain}",
        )

    def status(self, screen_name: str, id_str: str) -> str:
        return f"http://{self.domain}/{screen_name}/statuses/{id_str}"

    def profile(self, screen_name: str) -> str:
        return f"http://www.{self.domain}/{screen_name}"


def http_variant(url: str) -> str:
    """``profile_image_url`` is ``profile_image_url_https`` over plain http."""
    return "http://" + url[8:] if url.startswith("https://") else url


def is_provider(provider: Provider) -> bool:
    """Whether ``provider`` is the constant a real feed sends, in either domain."""
    return provider in _PROVIDERS


def tail_id(iri: str, path: str) -> str:
    """The numeric id that ends an IRI (``tag:…,2005:<id>``, ``id:…:<id>``)."""
    tail = iri.rpartition(":")[2]
    if not (tail.isascii() and tail.isdigit() and len(tail) <= 20):
        raise RecordError(f"no id at the end of {iri!r}", path=path)
    return tail


def user_tag_id(iri: str) -> str | None:
    """The account id of ``tag:search.twitter.com,2012:user/<id>``; None when ``iri`` names no account."""
    head, sep, tail = iri.rpartition(",2012:user/")
    named = sep and head.startswith("tag:search.") and tail.isascii() and tail.isdigit() and len(tail) <= 20
    return tail if named else None


def parse_status_link(link: str) -> tuple[str, str] | None:
    """(screen_name, id) of ``http://twitter.com/<screen_name>/statuses/<id>``, or None."""
    match = _STATUS_LINK.match(link)
    return (match["screen_name"], match["id"]) if match else None


def links_of(iri: str) -> Links:
    """The links of the domain an activity IRI (``tag:search.<domain>,2005:<id>``) uses."""
    return _LINKS["x.com"] if iri.startswith("tag:search.x.com") else _LINKS["twitter.com"]


_LINKS = {domain: Links(domain) for domain in DOMAINS}
_PROVIDERS = tuple(links.provider for links in _LINKS.values())
