"""The plan as one self-contained HTML page for the people who approve content (`--format html`).

Per change: what changes in plain words, the impact and the flags apply will need, each
changed email as the sample prospect would receive it (merge fields filled, old and new side
by side in sandboxed frames, the changed words marked), the steps before and after with their
results so far, and the cadence drawn as an inline SVG timeline. The page loads nothing: its
styles are inline, it has no script, its Content-Security-Policy forbids every fetch, and every
string from the account or the manifests is escaped by the template engine (Jinja2, autoescape)
or, for an email body, sanitised and framed (`seqops.render.html.email`).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from seqops.manifest.models import Sequence, Template
from seqops.plan.changes import ACTIONS, Change
from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan
from seqops.render import headline, lintnotes, longtext, refusals, steprows, words
from seqops.render.figures import figures
from seqops.render.html import email, svg
from seqops.render.markdown import CHARTED, ICON, _prospects, meaning
from seqops.render.stepview import is_step_entry, step_changes, timing
from seqops.render.text import display_name
from seqops.sanitize import terminal

POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
SAMPLE_NAME = "Alex Rivera (VP Sales, Northwind Traders)"


class HtmlRenderer:
    markup = False

    def __init__(self, safety: list[UnsafePlan] | None = None):
        self.safety = safety or []

    def render(self, plan: Plan) -> str:
        edited = {c.name for c in plan.changes if c.kind == "Template"}
        changes = [_change(c, plan.templates, edited) for c in plan.changes]
        return _template().render(
            policy=POLICY,
            css=Markup(_css()),
            target=clean(plan.target_description or plan.target),
            summary=_summary(plan),
            prospects=_prospects(plan.changes),
            warnings=[clean(w) for w in plan.warnings],
            draining=[clean(d) for d in plan.draining],
            lint=lintnotes.summary(plan),
            needs=self._needs(),
            changes=changes,
            emails_shown=any(c["emails"] for c in changes),
            sample=SAMPLE_NAME,
            checksum=plan.checksum if plan.changes else None,
        )

    def _needs(self) -> dict[str, Any] | None:
        if not self.safety:
            return None
        return {
            "heading": refusals.heading(self.safety),
            "lines": [clean(refusals.because(v)) for v in self.safety],
        }


def clean(text: object) -> str:
    """Account or manifest text on one line, without control characters (the template
    engine escapes it)."""
    return terminal(str(text), one_line=True)


def pair(values: steprows.Pair | None) -> Markup:
    """A cell before and after: the value alone, or `old` struck and `new` marked."""
    if values is None:
        return Markup("")
    old, new = (clean(v) for v in values)
    if old == new or not old:
        return escape(new)
    if not new:
        return Markup("<del>{}</del>").format(old)
    return Markup("<del>{}</del> → <ins>{}</ins>").format(old, new)


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, finalize=_no_controls
    )
    environment.globals["pair"] = pair
    return environment.from_string(_read("report.html.j2"))


@cache
def _css() -> str:
    return _read("style.css")


def _no_controls(value: Any) -> Any:
    """Every string the template writes loses its control characters (bidi overrides, escape
    sequences), whichever path it came by; markup built here (`Markup`) is already clean."""
    return terminal(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _summary(plan: Plan) -> list[dict[str, Any]]:
    counts = Counter((c.action, meaning(c)) for c in plan.changes)
    ordered = sorted(counts.items(), key=lambda row: ACTIONS.index(row[0][0]))
    return [{"icon": ICON[a], "action": a, "count": n, "meaning": what} for (a, what), n in ordered]


def _change(change: Change, names: words.Names, edited: set[str]) -> dict[str, Any]:
    sequence = change.kind == "Sequence"
    rows = steprows.rows(change) if sequence and change.action not in ("disable", "delete") else []
    before, after = steprows.sequences(change)
    return {
        "icon": ICON[change.action],
        "action": change.action,
        "key": clean(f"{change.kind}/{change.name}"),
        "display": clean(display_name(change) or ""),
        "what": clean(headline.what(change, names)),
        "meaning": meaning(change),
        "reason": clean(change.reason or ""),
        "impact": clean(change.impact) if change.impact is not None else "",
        "disruptive": change.disruptive,
        "requires": " ".join(change.requires),
        "warnings": [clean(w) for w in change.warnings],
        "lint": [(level, clean(text)) for level, text in lintnotes.findings(change)],
        "settings": _settings(change),
        "results": figures(change.existing.results if change.existing else None),
        "emails": _emails(change) or _sent(change, names, edited),
        "texts": _texts(change),
        "steps": [clean(s.headline()) for s in step_changes(change, names)]
        + [f"⏩ {s}" for s in timing(change)],
        "rows": [_row(r, names) for r in rows],
        "dates": bool(rows) and rows[0].wait is None,
        "with_results": any(r.results for r in rows),
        "chart": svg.chart(before, after, names) if sequence and change.action in CHARTED else None,
    }


def _settings(change: Change) -> list[dict[str, Any]]:
    shown = [
        d
        for d in change.diff
        if not is_step_entry(d)
        and not d.path.startswith("steps")
        and not (d.path in ("subject", "bodyHtml") and change.kind == "Template")
        and not longtext.is_long(d.old, d.new)
    ]
    return [
        {
            "label": words.label(d.path),
            "key": d.path,
            "old": _value(d.path, d.old),
            "new": _value(d.path, d.new),
        }
        for d in shown
    ]


def _value(path: str, raw: Any) -> str | None:
    found = words.value(path, raw)
    return None if found is None else clean(found)


def _emails(change: Change) -> list[dict[str, Any]]:
    """The old and new versions of a changed template, as the sample prospect gets them."""
    if change.kind != "Template" or change.action not in ("create", "update", "adopt"):
        return []
    old = _side(change.existing.resource if change.existing else None)
    new = _side(change.desired)
    if old is not None and new is not None and old == new:
        return []
    shown = email.versions(old if change.action != "create" else None, new)
    titles = ("Before", "After") if shown[0] and shown[1] else ("", "New email")
    return [
        _email(title, version)
        for title, version in zip(titles, shown, strict=True)
        if version is not None
    ]


def _sent(change: Change, names: words.Names, edited: set[str]) -> list[dict[str, Any]]:
    """The emails a new sequence sends from templates this plan leaves as they are: new to
    every prospect it will hold, so the reviewer reads them too (a changed template has its
    own section)."""
    if change.action != "create" or not isinstance(change.desired, Sequence):
        return []
    steps = change.desired.spec.steps
    sent = dict.fromkeys(k for step in steps for k in step.variants if k not in edited)
    known = [(k, names[k]) for k in sent if k in names and names[k].get("bodyHtml") is not None]
    return [
        _email(f"Sends “{clean(words.template_name(key, names))}” (unchanged)", version)
        for key, entry in known
        if (version := email.versions(None, (entry.get("subject"), entry["bodyHtml"]))[1])
    ]


def _email(title: str, version: email.Rendered) -> dict[str, Any]:
    return {
        "title": title,
        "subject": version.subject,
        "document": version.document,
        "height": min(900, 60 + 24 * version.lines),
    }


def _side(resource: object) -> email.Side | None:
    if not isinstance(resource, Template):
        return None
    return (resource.spec.subject, resource.spec.bodyHtml)


def _texts(change: Change) -> list[dict[str, Any]]:
    """Long text changes as line diffs, folded: a body's HTML source, long notes (a step's
    too: its row in the steps table says the text is shown below)."""
    out = []
    for d in change.diff:
        if not longtext.is_long(d.old, d.new) or (is_step_entry(d) and d.op != "changed"):
            continue
        if is_step_entry(d):
            title = f"Step {(d.new_index or 0) + 1}: {words.label(d.path).lower()}"
        else:
            kind = "HTML source" if d.path == "bodyHtml" else "text"
            title = f"{words.label(d.path)}: {kind}"
        lines = [(_css_mark(line.mark), clean(line.text)) for line in longtext.diff(d.old, d.new)]
        out.append({"title": title + " (line diff)", "lines": lines})
    return out


def _css_mark(mark: str) -> str:
    return {"-": "del", "+": "ins"}.get(mark, "same")


def _row(row: steprows.StepRow, names: words.Names) -> dict[str, Any]:
    old, new = row.templates
    keys = new or old
    return {
        "op": row.op,
        "number": row.number if not row.gone else (row.number[0], row.number[0]),
        "when": row.when,
        "wait": row.wait,
        "type": row.type,
        "template_names": [
            (clean(words.template_name(k, names)), k if words.template_name(k, names) != k else "")
            for k in keys
        ],
        "variants": row.variants,
        "details": row.details,
        "results": row.results,
        "marks": row.marks,
    }
