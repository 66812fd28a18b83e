"""The terminal plan: reads like a code review, `+` green, `~` yellow, `-` red.

Steps are shown by content (`- step 4 · task 'Connect on LinkedIn' removed; steps 5-6 move up
one`), long text as a line diff with the changed words marked (never cut), and every string
from a manifest or the account is stripped of control characters and rich markup first.
"""

from __future__ import annotations

from rich.markup import escape

from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff, show, variants_change
from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan
from seqops.render import lintnotes, longtext, refusals, words
from seqops.render.figures import figures
from seqops.render.stepview import StepChange, is_step_entry, step_changes, timing
from seqops.sanitize import terminal

STYLE = {
    "create": ("+", "green"),
    "adopt": ("~", "cyan"),
    "update": ("~", "yellow"),
    "replace": ("-/+", "yellow"),
    "enable": ("+", "green"),
    "disable": ("-", "red"),
    "delete": ("-", "red"),
}
STEP_STYLE = {
    "removed": ("-", "red"),
    "inserted": ("+", "green"),
    "moved": ("↕", "cyan"),
    "changed": ("~", "yellow"),
}
LINE_STYLE = {"-": "red", "+": "green", " ": "dim", "@": "dim"}
INDENT = "    "


def safe(text: object) -> str:
    """User text as inert console markup: no control characters, no markup of its own."""
    return escape(terminal(str(text), one_line=True))


def target_line(plan: Plan) -> str:
    return f"[bold]Target:[/bold] {safe(plan.target_description or plan.target)}"


def summary_line(plan: Plan) -> str:
    counts = [f"{n} to {action}" for action, n in plan.summary.items() if n]
    return (
        "Plan: " + ", ".join(counts) + "."
        if counts
        else "No changes: the target matches the manifests."
    )


def display_name(change: Change) -> str | None:
    """The name reviewers know the object by, when it is not its key."""
    for resource in (change.desired, getattr(change.existing, "resource", None)):
        name = getattr(resource, "display_name", None)
        if name and name != change.name:
            return name
    return None


class TextRenderer:
    markup = True

    def __init__(self, safety: list[UnsafePlan] | None = None):
        self.safety = safety or []

    def render(self, plan: Plan) -> str:
        lines = [target_line(plan), ""]
        for change in plan.changes:
            lines += [*self.change(change, plan.templates), ""]
        lines += [f"[cyan]draining:[/cyan] {safe(d)}" for d in plan.draining]
        lines += [f"[yellow]warning:[/yellow] {safe(w)}" for w in plan.warnings]
        lines.append(f"[bold]{escape(summary_line(plan))}[/bold]")
        if plan.budget is not None and not plan.empty:
            lines.append(f"[dim]{safe(plan.budget)}[/dim]")
        if lint := lintnotes.summary(plan):
            lines.append(f"[bold red]{escape(lint)}[/bold red]")
        if self.safety:
            lines.append(f"[bold red]{safe(refusals.heading(self.safety))}:[/bold red]")
            lines += [f"  [red]- {safe(refusals.because(v))}[/red]" for v in self.safety]
        return "\n".join(lines)

    def change(self, change: Change, names: words.Names | None = None) -> list[str]:
        symbol, colour = STYLE[change.action]
        head = (
            f"[{colour}]{escape(symbol)} {change.action}[/{colour}] "
            f"[bold]{safe(change.kind)}/{safe(change.name)}[/bold]"
        )
        if change.id is not None:
            head += f" (id {change.id})"
        if name := display_name(change):
            head += f" [dim]“{safe(name)}”[/dim]"
        lines = [head]
        if change.reason:
            lines.append(f"{INDENT}[dim]{safe(change.reason)}[/dim]")
        for d in change.diff:
            if not is_step_entry(d):
                lines += [INDENT + line for line in self.field(d)]
        if sofar := figures(change.existing.results if change.existing else None):
            lines.append(f"{INDENT}[dim]results so far: {safe(sofar)}[/dim]")
        for step in step_changes(change, names or {}):
            lines += [INDENT + line for line in self.step(step)]
        lines += [f"{INDENT}[cyan]⏩ {safe(s)}[/cyan]" for s in timing(change)]
        if change.impact is not None:
            style = "bold red" if change.disruptive else "bold"
            lines.append(f"{INDENT}[{style}]impact: {safe(change.impact)}[/{style}]")
        lines += [f"{INDENT}[yellow]! {safe(w)}[/yellow]" for w in change.warnings]
        lines += [
            f"{INDENT}[{lintnotes.STYLE[level]}]lint {safe(text)}[/{lintnotes.STYLE[level]}]"
            for level, text in lintnotes.findings(change)
        ]
        return lines

    @staticmethod
    def diff(change: Change, d: FieldDiff) -> str:
        """One field diff on one line (long text: its first line; see `field`)."""
        return TextRenderer.field(d)[0]

    @staticmethod
    def field(d: FieldDiff, label: str | None = None) -> list[str]:
        """A field diff: `~ Subject line: old → new`, or for long text a line diff below it.
        The manifest key follows a plain-words label, dimmed."""
        name = safe(label or words.label(d.path))
        if label is None and words.label(d.path) != d.path:
            name += f" [dim]({safe(d.path)})[/dim]"
        if longtext.is_long(d.old, d.new):
            symbol, colour = _field_style(d)
            return [f"[{colour}]{symbol} {name}:[/{colour}]", *text_diff(d.old, d.new)]
        if d.old is None and d.new is not None:
            return [f"[green]+ {name}: {safe(_value(d.path, d.new))}[/green]"]
        if d.new is None:
            return [f"[red]- {name}: {safe(_value(d.path, d.old))}[/red]"]
        change = f"{_value(d.path, d.old)} → {_value(d.path, d.new)}{_variants(d)}"
        return [f"[yellow]~ {name}: {safe(change)}[/yellow]"]

    def step(self, step: StepChange) -> list[str]:
        symbol, colour = STEP_STYLE[step.op]
        fields = [d for d in step.fields if not longtext.is_long(d.old, d.new)]
        inline = f": {_inline(fields[0])}" if len(fields) == 1 else ""
        lines = [f"[{colour}]{escape(symbol)} {safe(step.headline(inline))}[/{colour}]"]
        if sofar := figures(step.results):
            lines.append(f"{INDENT}[dim]results so far: {safe(sofar)}[/dim]")
        if step.op in ("removed", "inserted"):
            lines += [INDENT + x for x in self.whole_note(step)]
        for d in step.fields:
            if not (inline and d in fields):
                lines += [INDENT + line for line in self.field(d, words.label(d.path))]
        return lines

    def whole_note(self, step: StepChange) -> list[str]:
        """The long note of a call or task removed or added, in full (a moved step's note is
        the same note: nothing is added or removed)."""
        note = step.whole.get("note")
        if not note or step.whole.get("template") or not longtext.is_long(note, None):
            return []
        gone = step.op == "removed"
        return self.field(FieldDiff("note", note if gone else None, None if gone else note))


def _value(path: str, raw: object) -> str:
    """A value as the terminal shows it: durations and known choices in plain words, free
    text quoted as YAML would (so its edges show)."""
    if isinstance(raw, str) and words.field_key(path) not in words.VALUES | dict.fromkeys(
        words.DURATIONS
    ):
        return show(raw)
    return words.value(path, raw) or show(raw)


def _field_style(d: FieldDiff) -> tuple[str, str]:
    if d.old is None:
        return "+", "green"
    if d.new is None:
        return "-", "red"
    return "~", "yellow"


def _inline(d: FieldDiff) -> str:
    """`wait 2d → 3d`, `note (unset) → 'Ring'`: one short field of a step."""
    name = words.inline_name(d.path)
    return f"{name}{_value(d.path, d.old)} → {_value(d.path, d.new)}{_variants(d)}"


def _variants(d: FieldDiff) -> str:
    """A/B variants added and removed, spelt out: ` (variants: +intro-b -intro-c)`."""
    return f" (variants: {variants_change(d.old, d.new)})" if d.path.endswith(".templates") else ""


def text_diff(old: object, new: object) -> list[str]:
    """Long text as `-`/`+` lines (context lines dim), the changed words in bold."""
    out = []
    for line in longtext.diff(old, new):
        colour = LINE_STYLE[line.mark]
        if line.words:
            body = "".join(
                f"[bold underline]{safe(text)}[/bold underline]" if changed else safe(text)
                for changed, text in line.words
            )
        else:
            body = safe(line.text)
        out.append(f"{INDENT}[{colour}]{escape(line.mark)} {body}[/{colour}]")
    return out
