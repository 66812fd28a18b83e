"""Renderers of a Plan, picked by name: the Plan knows nothing of output.

A renderer is a class with `render(plan) -> str`; `markup` says whether the string carries rich
console markup (the text renderer's colours) or is printed verbatim.
"""

from typing import Protocol

from seqops.plan.plan import Plan
from seqops.plan.safety import UnsafePlan
from seqops.render.html import HtmlRenderer
from seqops.render.json import JsonRenderer
from seqops.render.markdown import MarkdownRenderer
from seqops.render.text import TextRenderer


class Renderer(Protocol):
    markup: bool

    def render(self, plan: Plan) -> str: ...


class RendererClass(Protocol):
    def __call__(self, safety: list[UnsafePlan] | None = None) -> Renderer: ...


RENDERERS: dict[str, RendererClass] = {
    "text": TextRenderer,
    "json": JsonRenderer,
    "markdown": MarkdownRenderer,
    "html": HtmlRenderer,
}

__all__ = [
    "RENDERERS",
    "HtmlRenderer",
    "JsonRenderer",
    "MarkdownRenderer",
    "Renderer",
    "TextRenderer",
]
