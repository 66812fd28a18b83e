"""Renderers of a Plan, picked by name: the Plan knows nothing of output.

A renderer is a class with `render(plan) -> str`; `markup` says whether the string carries rich
console markup (the text renderer's colours) or is printed verbatim.
"""

from typing import TYPE_CHECKING, Any, Protocol

from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan
from seqops.render.json import JsonRenderer
from seqops.render.markdown import MarkdownRenderer
from seqops.render.text import TextRenderer


class Renderer(Protocol):
    markup: bool

    def render(self, plan: Plan) -> str: ...


class RendererClass(Protocol):
    def __call__(self, safety: list[UnsafePlan] | None = None) -> Renderer: ...


if TYPE_CHECKING:
    from seqops.render.html import HtmlRenderer


def html(safety: list[UnsafePlan] | None = None) -> Renderer:
    """The HTML review, imported when asked for: its template engine and sanitiser cost every
    other command's start-up nothing."""
    from seqops.render.html import HtmlRenderer

    return HtmlRenderer(safety)


def __getattr__(name: str) -> Any:
    if name == "HtmlRenderer":
        from seqops.render.html import HtmlRenderer

        return HtmlRenderer
    raise AttributeError(name)


RENDERERS: dict[str, RendererClass] = {
    "text": TextRenderer,
    "json": JsonRenderer,
    "markdown": MarkdownRenderer,
    "html": html,
}

__all__ = [
    "RENDERERS",
    "HtmlRenderer",
    "JsonRenderer",
    "MarkdownRenderer",
    "Renderer",
    "TextRenderer",
]
