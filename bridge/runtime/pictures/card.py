"""/card: a business card with the member's name, headline and a QR code of their profile's
deep link, so that two people at a meetup connect in one scan."""

from __future__ import annotations

from typing import Any

import numpy as np
import segno
from matplotlib.patches import Rectangle

from bridge.runtime.pictures.canvas import ACCENT, INK, MUTED, new_figure, png
from bridge.runtime.wording import clip

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def profile_link(bot_username: str, handle: str) -> str:
    """The deep link that opens a member's profile (`/start p_<handle>`)."""
    return f"https://t.me/{bot_username}?start=p_{handle}"


def qr_modules(link: str) -> np.ndarray:
    """The QR code of `link` as a boolean matrix (True: dark), quiet zone included; error
    correction M survives a creased card or a phone's glare."""
    code = segno.make(link, error="m", micro=False)
    return np.array([list(row) for row in code.matrix_iter(border=QUIET_ZONE)], dtype=bool)


def draw_card(lines: list[str], name: str, scan: str, link: str) -> bytes:
    """The card as PNG: the name and up to three lines (headline, company, handle) on the
    left, the code on the right with `scan`, the localized call to action, under it."""
    figure = new_figure(7.0, 3.5)
    figure.add_artist(Rectangle((0, 0.94), 1, 0.06, transform=figure.transFigure, color=ACCENT))
    left: dict[str, Any] = {"parse_math": False, "ha": "left", "va": "top"}
    figure.text(0.05, 0.80, clip(name, 26), fontsize=20, weight="bold", color=INK, **left)
    y = 0.62
    for i, line in enumerate(line for line in lines[:3] if line):
        color = INK if i == 0 else MUTED
        figure.text(0.05, y, clip(line, 44), fontsize=12, color=color, **left)
        y -= 0.12
    axes = figure.add_axes((0.62, 0.14, 0.34, 0.76))
    axes.imshow(qr_modules(link), cmap="binary", interpolation="nearest")
    axes.set_axis_off()
    figure.text(
        0.79, 0.10, clip(scan, 40), fontsize=9, color=MUTED, parse_math=False, ha="center", va="top"
    )
    return png(figure)
