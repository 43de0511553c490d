"""A self-contained HTML page that plays step-through frames (inline SVG, inline script)."""

from __future__ import annotations

import html
import re

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_ID = re.compile(r'\b(id="|href="#|url\(#)([^"\)]+)')

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #111827; }
h1 { font-size: 1.3em; margin: 0 0 .6em; }
#controls { display: flex; gap: .8em; align-items: center; margin-bottom: .6em; }
#controls input[type=range] { flex: 1; max-width: 40em; }
button { font-size: 1em; padding: .25em .9em; }
#caption { background: #f9fafb; border: 1px solid #e5e7eb; padding: .6em .8em;
           white-space: pre-wrap; font-size: .95em; }
.frame { display: none; overflow: auto; }
.frame.on { display: block; }
.frame svg { max-width: 100%; height: auto; }
"""

_SCRIPT = """
(function () {
  var frames = document.querySelectorAll('.frame');
  var slider = document.getElementById('slider');
  var caption = document.getElementById('caption');
  var count = document.getElementById('count');
  var current = 0;
  function show(i) {
    current = Math.max(0, Math.min(frames.length - 1, i));
    frames.forEach(function (f, k) { f.classList.toggle('on', k === current); });
    slider.value = current;
    caption.textContent = frames[current].getAttribute('data-caption');
    count.textContent = (current + 1) + ' / ' + frames.length;
    if (window.history && history.replaceState) {
      history.replaceState(null, '', '#' + (current + 1));
    }
  }
  document.getElementById('prev').onclick = function () { show(current - 1); };
  document.getElementById('next').onclick = function () { show(current + 1); };
  slider.oninput = function () { show(parseInt(slider.value, 10)); };
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowLeft') { show(current - 1); }
    if (e.key === 'ArrowRight') { show(current + 1); }
  });
  show((parseInt(location.hash.slice(1), 10) || 1) - 1);  // page.html#4 opens step 4
})();
"""


def inline_svg(svg: str, prefix: str) -> str:
    """An SVG document as an element for a page: no XML prologue, ids made unique."""
    svg = _PROLOGUE.sub("", svg, count=1)
    return _ID.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)


def page(svgs: list[str], captions: list[str], title: str) -> str:
    """The HTML text: one hidden ``div.frame`` per picture, shown one at a time."""
    frames = "\n".join(
        f'<div class="frame" data-caption="{html.escape(c)}">{inline_svg(s, f"f{i}_")}</div>'
        for i, (s, c) in enumerate(zip(svgs, captions, strict=True))
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<div id="controls">
<button id="prev" type="button">&#9664; previous</button>
<input id="slider" type="range" min="0" max="{len(svgs) - 1}" value="0" step="1">
<button id="next" type="button">next &#9654;</button>
<span id="count"></span>
</div>
<div id="caption"></div>
{frames}
<script>{_SCRIPT}</script>
</body>
</html>
"""
