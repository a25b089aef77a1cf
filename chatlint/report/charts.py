"""Charts of the HTML report as inline SVG, drawn on our side by matplotlib.

Why matplotlib: it is the best-kept plotting library in Python (releases several times a year,
a large maintainer team), and its SVG backend writes plain vector markup with no script, no
web font and no external reference, so the report opens offline in any browser and prints
cleanly. pygal also writes SVG but expects its JavaScript (from a CDN by default) for
tooltips. We use the object-oriented API (``Figure`` + ``FigureCanvasSVG``, no ``pyplot``):
no global figure state, nothing drawn on screen. It is imported only here, and this module
only by ``chatlint report``: ``chatlint check`` never loads it.
"""

from __future__ import annotations

import io
import re
from datetime import date

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

ACCENT = "#2f6db5"
BAD = "#c0392b"
OK = "#2e8b57"
GREY = "#8a8f98"
_counter = [0]


def _svg(fig: Figure, title: str) -> str:
    """The figure as an ``<svg>`` element to inline: no XML prolog, ids unique per chart
    (matplotlib derives clip-path ids from a salt), a title for screen readers."""
    _counter[0] += 1
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"chatlint-{_counter[0]}"}):
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<svg ", f'<svg role="img" aria-label="{_attr(title)}" class="chart" ', text, count=1)
    return text


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _figure(width: float = 6.0, height: float = 2.4) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), dpi=96)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=9)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.2)
    return fig, ax


def score_histogram(scores: list[float], pass_score: float, labels: dict[str, str]) -> str:
    """Conversations by score, in bins of 10 points (the last bin holds 100); bars below the
    pass score in red."""
    bins = [0] * 10
    for s in scores:
        bins[min(9, int(s // 10))] += 1
    fig, ax = _figure()
    colours = [OK if (k * 10) >= pass_score else BAD for k in range(10)]
    ax.bar([k * 10 + 5 for k in range(10)], bins, width=9, color=colours)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 10))
    ax.set_xlabel(labels["score"], fontsize=9)
    ax.set_ylabel(labels["conversations"], fontsize=9)
    ax.axvline(pass_score, color=GREY, linestyle="--", linewidth=1)
    for k, n in enumerate(bins):
        if n:
            ax.annotate(str(n), (k * 10 + 5, n), ha="center", va="bottom", fontsize=8)
    _empty(ax, not scores, labels)
    return _svg(fig, labels["title"])


def trend(points: list[tuple[date | str, float | None, int]], pass_score: float, labels: dict[str, str]) -> str:
    """The mean score per period, with the number of conversations under each point."""
    pts = [(str(k), m, n) for k, m, n in points if m is not None]
    fig, ax = _figure()
    if pts:
        xs = list(range(len(pts)))
        ax.plot(xs, [m for _, m, _ in pts], marker="o", color=ACCENT, linewidth=1.5, markersize=4)
        step = max(1, len(pts) // 10)
        ax.set_xticks(xs[::step])
        ax.set_xticklabels([k for k, _, _ in pts][::step], rotation=30, ha="right", fontsize=8)
        if len(pts) <= 20:
            for x, (_, m, n) in zip(xs, pts, strict=True):
                ax.annotate(f"n={n}", (x, m), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7,
                            color=GREY)
    ax.set_ylim(0, 105)
    ax.axhline(pass_score, color=GREY, linestyle="--", linewidth=1)
    ax.set_ylabel(labels["score"], fontsize=9)
    fig.subplots_adjust(bottom=0.28)
    return _svg(fig, labels["title"])


def response_histogram(seconds: list[float], labels: dict[str, str]) -> str:
    """The client's waits for an answer, in minutes, in bins that widen (0–1, 1–2, 2–5, 5–10,
    10–30, 30–60 min, over an hour)."""
    edges = [0, 60, 120, 300, 600, 1800, 3600]
    names = ["<1", "1–2", "2–5", "5–10", "10–30", "30–60", ">60"]
    counts = [0] * len(names)
    for s in seconds:
        k = sum(1 for e in edges[1:] if s >= e)
        counts[k] += 1
    fig, ax = _figure(width=5.0, height=2.2)
    ax.bar(range(len(names)), counts, color=ACCENT)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, fontsize=8)
    ax.set_xlabel(labels["minutes"], fontsize=9)
    ax.set_ylabel(labels["answers"], fontsize=9)
    for k, n in enumerate(counts):
        if n:
            ax.annotate(str(n), (k, n), ha="center", va="bottom", fontsize=8)
    _empty(ax, not seconds, labels)
    return _svg(fig, labels["title"])


def _empty(ax, empty: bool, labels: dict[str, str]) -> None:
    """Counts start at 0; a chart with nothing to show says so instead of a bare frame."""
    ax.set_ylim(bottom=0)
    if empty:
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.text(0.5, 0.5, labels.get("empty", "—"), transform=ax.transAxes, ha="center", va="center", fontsize=10,
                color=GREY)
