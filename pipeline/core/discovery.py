"""Article URLs from outlet feeds (RSS, Atom) and sitemaps (plain, index, news).

XML from the web is parsed with defusedxml, which refuses entity tricks
(billion laughs, external entities) instead of expanding them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException


@dataclass(frozen=True)
class DiscoveredLink:
    url: str
    published: dt.date | None = None
    is_sitemap: bool = False  # an entry of a sitemap index: another sitemap to read


class UnsafeOrInvalidXml(ValueError):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError):
        return None


def parse_links(xml: bytes) -> list[DiscoveredLink]:
    """Links of an RSS or Atom feed, a sitemap or a sitemap index."""
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except (DefusedXmlException, SafeET.ParseError, ValueError) as error:
        raise UnsafeOrInvalidXml(f"feed or sitemap refused: {type(error).__name__}: {error}") from None
    kind = _local(root.tag)
    links: list[DiscoveredLink] = []
    if kind in ("urlset", "sitemapindex"):
        for entry in root:
            name = _local(entry.tag)
            if name not in ("url", "sitemap"):
                continue
            loc, published = None, None
            for child in entry.iter():
                child_name = _local(child.tag)
                if child_name == "loc" and loc is None:
                    loc = (child.text or "").strip()
                elif child_name in ("publication_date", "lastmod") and published is None:
                    published = _date(child.text)
            if loc:
                links.append(DiscoveredLink(loc, published, is_sitemap=name == "sitemap"))
    elif kind in ("rss", "RDF"):
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            link = next((c.text for c in item if _local(c.tag) == "link" and c.text), None)
            published = next((_date(c.text) for c in item if _local(c.tag) in ("pubDate", "date")), None)
            if link:
                links.append(DiscoveredLink(link.strip(), published))
    elif kind == "feed":
        for entry in root:
            if _local(entry.tag) != "entry":
                continue
            href = None
            for child in entry:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
                    href = child.get("href")
            published = next((_date(c.text) for c in entry if _local(c.tag) in ("published", "updated")), None)
            if href:
                links.append(DiscoveredLink(href.strip(), published))
    else:
        raise UnsafeOrInvalidXml(f"not a feed or sitemap (root element <{kind}>)")
    return links
