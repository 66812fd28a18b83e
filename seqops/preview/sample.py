"""The sample prospect a review renders emails for: fictitious, built in, the same for `plan`
and `show`.

A saved plan is rendered again offline (`show`), and a review is shared as a CI artifact: a
real prospect's name and email have no place in either, and reading one would cost requests.
So the HTML review fills merge fields from this person, and a merge field it has no value for
reads `[field_name]`, so the reviewer sees where it stands.
"""

from __future__ import annotations

from seqops.preview import mergefields
from seqops.preview.fill import Person

VALUES = {
    "first_name": "Alex",
    "last_name": "Rivera",
    "name": "Alex Rivera",
    "title": "VP Sales",
    "email": "alex.rivera@example.com",
    "company": "Northwind Traders",
    "account.name": "Northwind Traders",
    "account.website_url": "https://northwind.example",
    "account.domain": "northwind.example",
    "city": "Lyon",
    "state": "",
    "country": "France",
    "time_zone": "Europe/Paris",
    "phone": "+33 4 00 00 00 00",
    "sender.first_name": "Sam",
    "sender.last_name": "Seller",
    "sender.name": "Sam Seller",
    "sender.email": "sam.seller@example.com",
    "sender.title": "Account Executive",
    "sender.phone": "+1 555 0100",
    "previous_subject": "Quick intro",
}
SAMPLE = Person(0, VALUES)


def sample_for(*texts: str | None) -> Person:
    """The sample prospect, with a visible `[name]` for every merge field of `texts` it has no
    value for."""
    names = {v.name for text in texts for v in mergefields.variables(text)}
    missing = {name: f"[{name}]" for name in names if name not in VALUES}
    return Person(0, {**VALUES, **missing})
