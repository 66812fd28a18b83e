"""URLs in email HTML: which load where a reader opens the email (images, backgrounds,
stylesheets), which hide where they go (shorteners, link text naming another address)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from seqops.lint import html
from seqops.lint.placeholders import words

SHORTENERS = words(
    """bit.ly bitly.com tinyurl.com t.co goo.gl ow.ly buff.ly is.gd v.gd rebrand.ly cutt.ly
    shorturl.at tiny.cc rb.gy t.ly bl.ink lnkd.in s.id shorte.st adf.ly qr.ae soo.gd clck.ru
    short.gy tr.im mcaf.ee su.pr x.co po.st bc.vc trib.al dlvr.it ift.tt fb.me 1url.com
    hubs.ly hubs.la snip.ly zpr.io"""
)
"""Link shorteners: spam filters score them, and readers cannot see where they lead."""
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]*)\3""", re.I)
_SHOWN_URL = re.compile(
    r"(?i)\b(?:https?://[^\s<>\"']+|www\.[^\s<>\"']+"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|io|co|net|org|ai|app|dev|us|uk|de|fr|eu|info|biz|me)"
    r"(?:/[^\s<>\"']*)?)"
)


_BARE_URL = re.compile(r"(?i)\bhttps?://[^\s<>\"']+")
_TRAILING = ".,;:!?)'\""


class Bare(NamedTuple):
    """An address written out in the visible text, outside any `<a>`: mail clients (Gmail,
    Outlook, Apple Mail) make it a link, so the reader can click it like one."""

    url: str
    offset: int


def bare(body: str) -> Iterator[Bare]:
    if "://" not in body:
        return
    for segment in html.parse(body).texts:
        if segment.in_link or "://" not in segment.text:
            continue
        for match in _BARE_URL.finditer(segment.text):
            url = match.group().rstrip(_TRAILING)
            yield Bare(url, segment.offset + match.start())


class Asset(NamedTuple):
    """A URL the email loads by itself: `what` says which kind (image, background...)."""

    what: str
    url: str
    offset: int


def assets(body: str) -> Iterator[Asset]:
    parsed = html.parse(body)
    for tag in parsed.select(("img", "link"), ("background", "url(")):
        if tag.name == "img" and "src" in tag.attrs:
            yield Asset("image", tag.attrs["src"] or "", tag.attribute_offset("src"))
        if tag.name == "link" and "stylesheet" in (tag.attrs.get("rel") or "").lower():
            yield Asset("stylesheet", tag.attrs.get("href") or "", tag.attribute_offset("href"))
        if not tag.mentions("background") and not tag.mentions("url("):
            continue  # most tags: their attributes are never read
        if tag.attrs.get("background"):
            yield Asset(
                "background", tag.attrs["background"] or "", tag.attribute_offset("background")
            )
        style = tag.attrs.get("style") or ""
        if "url(" in style.lower():
            base = tag.attribute_offset("style")
            for match in _CSS_URL.finditer(style):
                yield Asset("background", match.group(2) or "", base + match.start())
    for segment in parsed.styles:
        for match in _CSS_URL.finditer(segment.text):
            what = "stylesheet" if match.group(4) is not None else "background"
            url = match.group(2) if match.group(4) is None else match.group(4)
            yield Asset(what, url or "", segment.offset + match.start())


def problem(asset: Asset) -> str | None:
    """Why a mail client would not load `asset`, or None."""
    url = asset.url.strip()
    if asset.what == "stylesheet":
        return f"external stylesheet {url!r}: Gmail and Outlook drop it; inline the styles"
    lowered = url.lower()
    if lowered.startswith(("https://", "cid:", "{{")):
        return None
    if lowered.startswith("http://"):
        return f"{asset.what} {url!r} loads over plain http: mail clients block or flag it"
    if lowered.startswith("data:"):
        return f"{asset.what} is a data: URI, which Gmail and Outlook do not show"
    shown = url or "(empty)"
    return f"{asset.what} {shown!r} is not an absolute https:// URL: no mail client can load it"


def host(url: str) -> str:
    """The host of `url` (with or without a scheme), lowercase, without `www.`."""
    text = url.strip()
    if "://" not in text:
        text = "//" + text
    try:
        name = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return name.lower().removeprefix("www.")


def shortener(url: str) -> bool:
    return host(url) in SHORTENERS


def shown_url(text: str) -> str | None:
    """The URL or domain a link's text shows, if all of it is one."""
    stripped = text.strip().strip(".,;:!?()<>")
    match = _SHOWN_URL.fullmatch(stripped)
    return match.group() if match else None


def mismatch(href: str, text: str) -> str | None:
    """The address a link's text shows when its target goes somewhere else."""
    shown = shown_url(text)
    target = href.strip()
    if shown is None or not target.lower().startswith(("http://", "https://")):
        return None
    shown_host, target_host = host(shown), host(target)
    if not shown_host or not target_host:
        return None
    if shown_host == target_host:
        return shown if _other_page(shown, target) else None
    return None if _same_site(shown_host, target_host) else shown


def _other_page(shown: str, target: str) -> bool:
    """Whether text showing a page of the link's own host (`acme.io/pricing`) leads to another
    page of it: not the host alone, the page with a query, or a page under it
    (`acme.io/meet` to `acme.io/meet/{{sender.first_name}}`)."""
    page, goes = _path(shown), _path(target)
    return bool(page) and goes != page and not goes.startswith(page + "/")


def _path(url: str) -> str:
    text = url.strip() if "://" in url else "//" + url.strip()
    try:
        return urlsplit(text).path.rstrip("/").lower()
    except ValueError:
        return ""


def _same_site(one: str, other: str) -> bool:
    return one == other or one.endswith("." + other) or other.endswith("." + one)
