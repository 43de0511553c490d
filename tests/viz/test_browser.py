"""The player and the tour's pictures in a real browser (headless Chromium, skipped without it).

Sizes are measured as the browser draws them: a label's size in CSS pixels is its font
size times the scale the page puts on its SVG (``getScreenCTM``). Screenshots of each view
are written to the test's temporary folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import nn
from autograd import Value, draw_dot, save_backward_html

from .browser import Browser, chromium

pytestmark = pytest.mark.skipif(chromium() is None, reason="no chromium on this machine")

CTRL = 2  # the DevTools protocol's modifier bit for Ctrl
READABLE = 9.0  # px: the smallest label a reader should be given

# The smallest label in the shown picture: font size x the SVG's scale on the screen.
SMALLEST_LABEL = """(function (root) {
  var sizes = [];
  root.querySelectorAll('text').forEach(function (t) {
    var size = parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize);
    sizes.push(size * t.getScreenCTM().a);
  });
  return sizes.length ? Math.min.apply(null, sizes) : -1;
})(%s)"""


def neuron() -> Value:
    """The README's neuron: z = w·x + b, a = σ(z), J = ½(a − 1)², the root named J."""
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2 = Value(0.5, label="w1"), Value(1.0, label="w2")
    b = Value(0.1, label="b")
    a = (w1 * x1 + w2 * x2 + b).sigmoid()
    a.label = "a"
    J = 0.5 * (a - 1.0) ** 2
    J.label = "J"
    return J


@pytest.fixture(scope="module")
def browser():
    with Browser(1280, 900) as b:
        yield b


@pytest.fixture(scope="module")
def player(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("player")
    return save_backward_html(neuron(), folder / "backward.html", backend="wasm")


@pytest.fixture(scope="module")
def tour_svgs(tmp_path_factory) -> dict[str, Path]:
    """The tour's two pictures, made as the tour makes them."""
    from demos.chain_rule import neuron as demo_neuron

    folder = tmp_path_factory.mktemp("tour")
    _, J = demo_neuron()
    J.backward()
    graph = draw_dot(J, backend="wasm").save(folder / "graph.svg")
    mlp = nn.draw_mlp(nn.MLP(2, [16, 16, 1], rng=0), backend="wasm").save(folder / "mlp.svg")
    return {"graph.svg": graph, "mlp.svg": mlp}


def open_fresh(browser: Browser, url: str, width: int = 1280, height: int = 900) -> None:
    browser.resize(width, height)
    browser.open("about:blank")
    browser.events.clear()
    browser.open(url)


def count(browser: Browser) -> str:
    return browser.js("document.getElementById('count').textContent")


def smallest(browser: Browser, root: str = "document.querySelector('.frame.on svg')") -> float:
    return browser.js(SMALLEST_LABEL % root)


@pytest.mark.parametrize("width", [1280, 1920])
def test_player_labels_render_readable_at_common_window_widths(browser, player, width):
    open_fresh(browser, player.as_uri(), width, 1000)
    assert smallest(browser) >= READABLE
    stage = browser.js("document.getElementById('stage').getBoundingClientRect().width")
    assert stage <= width  # the graph scrolls inside the window, the page does not grow
    browser.screenshot(player.parent / f"player-{width}.png")
    assert browser.errors() == []


def test_player_zoom_buttons_and_ctrl_wheel_enlarge_and_fit_fits(browser, player):
    open_fresh(browser, player.as_uri())
    natural = smallest(browser)
    browser.click("#zoomin")
    assert smallest(browser) == pytest.approx(natural * 1.25, rel=1e-3)
    browser.click("#zoomlabel")  # back to 100 %
    assert smallest(browser) == pytest.approx(natural, rel=1e-3)
    browser.wheel("#stage", -200, modifiers=CTRL)  # Ctrl+wheel up: larger
    assert smallest(browser) > natural * 1.2
    browser.press("0")
    assert smallest(browser) == pytest.approx(natural, rel=1e-3)
    browser.click("#fit")
    svg = browser.js(
        "(function(){var s=document.querySelector('.frame.on svg').getBoundingClientRect();"
        "var t=document.getElementById('stage').getBoundingClientRect();"
        "return [s.width, s.height, t.width, t.height];})()"
    )
    assert svg[0] <= svg[2] and svg[1] <= svg[3]  # the whole graph in the pane
    assert browser.js("document.getElementById('fit').getAttribute('aria-pressed')") == "true"
    browser.screenshot(player.parent / "player-fit.png")
    browser.click("#fit")
    assert smallest(browser) == pytest.approx(natural, rel=1e-3)
    assert browser.errors() == []


def test_player_steps_by_click_key_and_address(browser, player):
    open_fresh(browser, player.as_uri())
    total = int(count(browser).split(" / ")[1])
    assert count(browser) == f"1 / {total}"
    browser.click("#next")
    assert count(browser) == f"2 / {total}"
    browser.js("document.body.focus()")
    browser.press("ArrowRight")
    assert count(browser) == f"3 / {total}"
    browser.press("ArrowLeft")
    assert count(browser) == f"2 / {total}"
    browser.click("#slider")  # focus the slider (a click moves it to where it is hit)
    browser.js("document.getElementById('slider').focus()")
    before = int(count(browser).split(" / ")[0])
    browser.press("ArrowRight")  # the slider's own arrow handling must not add a step
    assert count(browser) == f"{before + 1} / {total}"
    browser.click("#prev")
    assert count(browser) == f"{before} / {total}"
    browser.press("End")
    assert count(browser) == f"{total} / {total}"
    browser.js("location.hash = '#4'")  # a changed address on the open page is followed
    browser.js("new Promise(function (r) { setTimeout(r, 50); })")
    assert count(browser) == f"4 / {total}"
    assert browser.js("location.hash") == "#4"
    open_fresh(browser, player.as_uri() + "#3")  # and a link to step 3 opens it
    assert count(browser) == f"3 / {total}"
    assert browser.js("document.querySelectorAll('.frame.on').length") == 1
    assert browser.errors() == []


def test_player_captions_are_never_circular(browser, player):
    open_fresh(browser, player.as_uri())
    captions = browser.js(
        "Array.prototype.map.call(document.querySelectorAll('.frame'),"
        " function (f) { return f.getAttribute('data-caption'); })"
    )
    assert captions[0].startswith("step 1 of ")
    for text in captions:
        for line in text.splitlines()[1:]:
            lhs, rhs = re.split(r" \+?= ", line.split("   [")[0].split(";")[0], maxsplit=1)
            assert lhs not in rhs, line
    assert "∂J/∂J · ∂(0.5 * " in captions[0]


def test_player_asks_nothing_of_the_network(browser, player):
    browser.call("Network.enable")
    try:
        open_fresh(browser, player.as_uri())
        browser.click("#next")
        asked = browser.requests()
    finally:
        browser.call("Network.disable")
    assert asked and all(url.startswith(("file:", "data:")) for url in asked), asked


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("name", ["graph.svg", "mlp.svg"])
def test_tour_svgs_render_readable(browser, tour_svgs, name, width):
    path = tour_svgs[name]
    open_fresh(browser, path.as_uri(), width, 1000)
    assert smallest(browser, "document.documentElement") >= READABLE
    browser.screenshot(path.parent / f"{path.stem}-{width}.png")
    assert browser.errors() == []


@pytest.mark.parametrize("name", ["graph.svg", "micrograd_loss.svg"])
def test_the_readmes_pictures_render_readable(browser, name):
    path = Path(__file__).resolve().parents[2] / "docs" / name
    for width in (1280, 1920):
        open_fresh(browser, path.as_uri(), width, 1000)
        assert smallest(browser, "document.documentElement") >= READABLE
    assert browser.errors() == []


def test_the_notebook_picture_fits_a_cell_and_stays_readable(browser, tmp_path):
    """A cell 980 px wide, as Jupyter's: the picture fits without scrolling, labels ≥ 9 px."""
    from demos.chain_rule import neuron as demo_neuron

    _, J = demo_neuron()
    J.backward()
    bundle = draw_dot(J, backend="wasm")._repr_mimebundle_()
    html = bundle.get("text/html") or bundle["image/svg+xml"]
    page = tmp_path / "cell.html"
    page.write_text(
        "<!DOCTYPE html><meta charset=utf-8><body style='margin:0'>"
        f"<div id=cell style='width:980px'>{html}</div>",
        encoding="utf-8",
    )
    open_fresh(browser, page.as_uri(), 1280, 1000)
    box = browser.js(
        "(function(){var r=document.querySelector('#cell svg').getBoundingClientRect();"
        "return [r.width, document.getElementById('cell').scrollWidth];})()"
    )
    assert box[0] <= 980 and box[1] <= 980
    assert smallest(browser, "document.querySelector('#cell svg')") >= READABLE
    browser.screenshot(tmp_path / "cell.png")
    assert browser.errors() == [], json.dumps(browser.errors())
