"""Pictures and transcripts of computation graphs.

* `draw_dot`: the graph as DOT text and SVG (in Jupyter, in a file), with or without a
  system Graphviz (`autograd.viz.render` picks the renderer).
* `backward_frames`, `save_backward_html`: the backward pass step by step.
* `explain`: the chain rule of every step in words and numbers.
"""

from __future__ import annotations

from .explain import explain
from .frames import Frame, backward_frames, save_backward_html
from .render import GraphvizError
from .view import GraphView, HugeRenderWarning, draw_dot

__all__ = [
    "Frame",
    "GraphView",
    "GraphvizError",
    "HugeRenderWarning",
    "backward_frames",
    "draw_dot",
    "explain",
    "save_backward_html",
]
