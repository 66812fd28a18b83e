"""Renderers of a Plan, picked by name: the Plan knows nothing of output.

A renderer is a class with `render(plan) -> str`; `markup` says whether the string carries rich
console markup (the text renderer's colours) or is printed verbatim.
"""

from seqops.render.json import JsonRenderer
from seqops.render.markdown import MarkdownRenderer
from seqops.render.text import TextRenderer

Renderer = TextRenderer | JsonRenderer | MarkdownRenderer

RENDERERS: dict[str, type[Renderer]] = {
    "text": TextRenderer,
    "json": JsonRenderer,
    "markdown": MarkdownRenderer,
}

__all__ = ["RENDERERS", "JsonRenderer", "MarkdownRenderer", "Renderer", "TextRenderer"]
