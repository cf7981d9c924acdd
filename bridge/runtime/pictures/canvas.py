"""What every picture shares: a figure on the Agg canvas, saved as PNG bytes."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 150
INK = "#1d2733"
MUTED = "#5b6b7c"
ACCENT = "#0a66c2"  # the network's blue
ACCENT_LIGHT = "#9cc3ea"


def new_figure(width_in: float, height_in: float) -> Figure:
    figure = Figure(figsize=(width_in, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor=figure.get_facecolor())
    return out.getvalue()
