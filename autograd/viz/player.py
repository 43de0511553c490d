"""A self-contained HTML page that plays step-through frames (inline SVG, inline script).

The graph is shown at its natural size (text as Graphviz sets it, 10 pt) in a pane that
scrolls and pans by dragging; zoom buttons, ``+`` / ``-`` / ``0`` and Ctrl+wheel enlarge or
shrink it, and ``fit`` toggles fitting the whole graph into the window. Browser zoom
enlarges it too (nothing is tied to the window's width). Arrow keys, the buttons, the
slider and the address's ``#N`` choose the step; each key press moves one step.
"""

from __future__ import annotations

import html
import re

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_ID = re.compile(r'\b(id="|href="#|url\(#)([^"\)]+)')

_STYLE = """
html, body { height: 100%; margin: 0; }
body { font-family: system-ui, sans-serif; color: #111827; display: flex;
       flex-direction: column; }
header { padding: .8em 1.2em .4em; flex: none; }
h1 { font-size: 1.3em; margin: 0 0 .5em; }
#controls { display: flex; flex-wrap: wrap; gap: .6em; align-items: center;
            margin-bottom: .5em; }
#controls input[type=range] { flex: 1; min-width: 8em; max-width: 40em; }
button { font-size: 1em; padding: .25em .8em; }
button[aria-pressed=true] { background: #dbeafe; }
#zoomlabel { min-width: 3.5em; }
#caption { background: #f9fafb; border: 1px solid #e5e7eb; padding: .5em .8em;
           white-space: pre-wrap; font-size: .95em; max-height: 24vh; overflow: auto;
           margin: 0; }
#stage { flex: 1 1 auto; min-height: 8em; overflow: auto; margin: 0 1.2em 1em;
         border: 1px solid #e5e7eb; cursor: grab; }
#stage.drag { cursor: grabbing; user-select: none; }
.frame { display: none; }
.frame.on { display: block; }
.frame svg { display: block; }
"""

_SCRIPT = """
(function () {
  var frames = document.querySelectorAll('.frame');
  var svgs = document.querySelectorAll('.frame svg');
  var stage = document.getElementById('stage');
  var slider = document.getElementById('slider');
  var caption = document.getElementById('caption');
  var count = document.getElementById('count');
  var fitButton = document.getElementById('fit');
  var zoomLabel = document.getElementById('zoomlabel');
  var current = 0, zoom = 1, fit = false;
  function px(length) {  // an SVG width="123pt" in CSS pixels
    var v = parseFloat(length);
    return /pt$/.test(length) ? v * 4 / 3 : v;
  }
  var sizes = Array.prototype.map.call(svgs, function (s) {
    return [px(s.getAttribute('width')), px(s.getAttribute('height'))];
  });
  function fitScale() {
    var s = sizes[current], w = stage.clientWidth - 2, h = stage.clientHeight - 2;
    return Math.min(w / s[0], h / s[1]);
  }
  function layout() {
    var scale = fit ? fitScale() : zoom;
    svgs.forEach(function (svg, k) {
      svg.style.width = (sizes[k][0] * scale) + 'px';
      svg.style.height = (sizes[k][1] * scale) + 'px';
    });
    zoomLabel.textContent = Math.round(scale * 100) + '%';
    fitButton.setAttribute('aria-pressed', fit ? 'true' : 'false');
  }
  function setZoom(z, cx, cy) {  // keep the point (cx, cy) of the pane where it is
    var old = fit ? fitScale() : zoom;
    zoom = Math.max(0.1, Math.min(8, z));
    fit = false;
    if (cx === undefined) { cx = stage.clientWidth / 2; cy = stage.clientHeight / 2; }
    var x = (stage.scrollLeft + cx) / old, y = (stage.scrollTop + cy) / old;
    layout();
    stage.scrollLeft = x * zoom - cx;
    stage.scrollTop = y * zoom - cy;
  }
  function show(i) {
    if (isNaN(i)) { return; }
    current = Math.max(0, Math.min(frames.length - 1, i));
    frames.forEach(function (f, k) { f.classList.toggle('on', k === current); });
    slider.value = current;
    caption.textContent = frames[current].getAttribute('data-caption');
    count.textContent = (current + 1) + ' / ' + frames.length;
    if (fit) { layout(); }
    if (window.history && history.replaceState && location.hash !== '#' + (current + 1)) {
      history.replaceState(null, '', '#' + (current + 1));
    }
  }
  function fromHash() { return (parseInt(location.hash.slice(1), 10) || 1) - 1; }
  document.getElementById('prev').onclick = function () { show(current - 1); };
  document.getElementById('next').onclick = function () { show(current + 1); };
  document.getElementById('zoomin').onclick = function () { setZoom(zoom * 1.25); };
  document.getElementById('zoomout').onclick = function () { setZoom(zoom / 1.25); };
  zoomLabel.onclick = function () { setZoom(1); };
  fitButton.onclick = function () { fit = !fit; layout(); };
  slider.oninput = function () { show(parseInt(slider.value, 10)); };
  window.addEventListener('hashchange', function () { show(fromHash()); });
  window.addEventListener('resize', function () { if (fit) { layout(); } });
  var keys = {
    ArrowLeft: function () { show(current - 1); }, ArrowRight: function () { show(current + 1); },
    ArrowUp: function () { show(current - 1); }, ArrowDown: function () { show(current + 1); },
    PageUp: function () { show(current - 1); }, PageDown: function () { show(current + 1); },
    Home: function () { show(0); }, End: function () { show(frames.length - 1); },
    '+': function () { setZoom(zoom * 1.25); }, '=': function () { setZoom(zoom * 1.25); },
    '-': function () { setZoom(zoom / 1.25); }, '0': function () { setZoom(1); },
    f: function () { fit = !fit; layout(); }
  };
  // One handler for the whole page; preventDefault keeps the slider from moving too.
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !keys.hasOwnProperty(e.key)) { return; }
    e.preventDefault();
    keys[e.key]();
  });
  stage.addEventListener('wheel', function (e) {
    if (!e.ctrlKey) { return; }  // Ctrl+wheel (and a pinch) zooms the graph, not the page
    e.preventDefault();
    var r = stage.getBoundingClientRect();
    setZoom((fit ? fitScale() : zoom) * Math.exp(-e.deltaY * 0.002),
            e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  var drag = null;
  stage.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) { return; }
    drag = [e.clientX, e.clientY, stage.scrollLeft, stage.scrollTop];
    stage.classList.add('drag');
  });
  window.addEventListener('pointermove', function (e) {
    if (!drag) { return; }
    stage.scrollLeft = drag[2] - (e.clientX - drag[0]);
    stage.scrollTop = drag[3] - (e.clientY - drag[1]);
  });
  window.addEventListener('pointerup', function () {
    drag = null;
    stage.classList.remove('drag');
  });
  layout();
  show(fromHash());  // page.html#4 opens step 4
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
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<div id="controls">
<button id="prev" type="button" title="previous step (←)">&#9664; previous</button>
<input id="slider" type="range" min="0" max="{len(svgs) - 1}" value="0" step="1"
 aria-label="step">
<button id="next" type="button" title="next step (→)">next &#9654;</button>
<span id="count"></span>
<button id="zoomout" type="button" title="smaller (-)">&minus;</button>
<button id="zoomlabel" type="button" title="natural size (0)">100%</button>
<button id="zoomin" type="button" title="larger (+, Ctrl+wheel)">+</button>
<button id="fit" type="button" aria-pressed="false" title="fit to the window (f)">fit</button>
</div>
<pre id="caption"></pre>
</header>
<div id="stage">
{frames}
</div>
<script>{_SCRIPT}</script>
</body>
</html>
"""
