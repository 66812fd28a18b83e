"""The terminal plan: reads like a code review, `+` green, `~` yellow, `-` red."""

from __future__ import annotations

from rich.markup import escape

from seqops.plan.changes import Change
from seqops.plan.diff import FieldDiff, show
from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan
from seqops.render import lintnotes

STYLE = {
    "create": ("+", "green"),
    "adopt": ("~", "cyan"),
    "update": ("~", "yellow"),
    "replace": ("-/+", "yellow"),
    "enable": ("+", "green"),
    "disable": ("-", "red"),
    "delete": ("-", "red"),
}


def target_line(plan: Plan) -> str:
    return f"[bold]Target:[/bold] {escape(plan.target_description or plan.target)}"


def summary_line(plan: Plan) -> str:
    counts = [f"{n} to {action}" for action, n in plan.summary.items() if n]
    return (
        "Plan: " + ", ".join(counts) + "."
        if counts
        else "No changes: the target matches the manifests."
    )


class TextRenderer:
    markup = True

    def __init__(self, safety: list[UnsafePlan] | None = None):
        self.safety = safety or []

    def render(self, plan: Plan) -> str:
        lines = [target_line(plan), ""]
        for change in plan.changes:
            lines += [*self.change(change), ""]
        lines += [f"[yellow]warning:[/yellow] {escape(w)}" for w in plan.warnings]
        lines.append(f"[bold]{escape(summary_line(plan))}[/bold]")
        if self.safety:
            flags = " ".join(sorted({v.flag for v in self.safety}))
            lines.append(f"[bold red]apply will need {flags}:[/bold red]")
            lines += [f"  [red]- {escape(str(v))}[/red]" for v in self.safety]
        return "\n".join(lines)

    def change(self, change: Change) -> list[str]:
        symbol, colour = STYLE[change.action]
        head = f"[{colour}]{escape(symbol)} {change.action}[/{colour}] [bold]{escape(change.kind)}/{escape(change.name)}[/bold]"
        if change.id is not None:
            head += f" (id {change.id})"
        lines = [head]
        if change.reason:
            lines.append(f"    [dim]{escape(change.reason)}[/dim]")
        lines += [f"    {self.diff(change, d)}" for d in change.diff]
        if change.impact is not None:
            style = "bold red" if change.disruptive else "bold"
            lines.append(f"    [{style}]impact: {escape(str(change.impact))}[/{style}]")
        lines += [f"    [yellow]! {escape(w)}[/yellow]" for w in change.warnings]
        lines += [
            f"    [{lintnotes.STYLE[level]}]lint {escape(text)}[/{lintnotes.STYLE[level]}]"
            for level, text in lintnotes.findings(change)
        ]
        return lines

    @staticmethod
    def diff(change: Change, d: FieldDiff) -> str:
        if d.old is None and d.new is not None:
            return f"[green]+ {escape(d.path)}: {escape(show(d.new))}[/green]"
        if d.new is None:
            return f"[red]- {escape(d.path)}: {escape(show(d.old))}[/red]"
        return f"[yellow]~ {escape(str(d))}[/yellow]"
