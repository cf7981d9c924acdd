"""/stats pictures: a member's last 90 days as three pairs of bars (invitations sent and
accepted, messages received and answered, InMails sent and answered) with each pair's rate;
the network's messages per day for admins. Every word comes localized from the templates."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.ticker import MaxNLocator

from bridge.runtime.pictures.canvas import ACCENT, ACCENT_LIGHT, INK, MUTED, new_figure, png


@dataclass(frozen=True)
class Pair:
    """Two bars side by side: a total and the part of it that got a response."""

    total_label: str
    total: int
    part_label: str
    part: int
    rate_label: str  # "50%" or "–", drawn above the pair


def draw_member_stats(title: str, pairs: list[Pair]) -> bytes:
    figure = new_figure(7.0, 4.2)
    axes = figure.add_axes((0.08, 0.22, 0.88, 0.62))
    positions, labels = [], []
    top = max([1, *(p.total for p in pairs), *(p.part for p in pairs)])
    for i, pair in enumerate(pairs):
        left, right = i * 3.0, i * 3.0 + 1.0
        for x, value, color in ((left, pair.total, ACCENT_LIGHT), (right, pair.part, ACCENT)):
            axes.bar(x, value, width=0.9, color=color)
            axes.text(x, value + top * 0.02, str(value), ha="center", va="bottom", color=INK)
        axes.text(
            (left + right) / 2,
            top * 1.18,
            pair.rate_label,
            ha="center",
            va="bottom",
            fontsize=13,
            weight="bold",
            color=ACCENT,
            parse_math=False,
        )
        positions += [left, right]
        labels += [pair.total_label, pair.part_label]
    axes.set_xticks(positions, labels, fontsize=8, color=MUTED)
    for label in axes.get_xticklabels():
        label.set_parse_math(False)
    axes.set_ylim(0, top * 1.35)
    axes.set_yticks([])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    figure.text(
        0.08, 0.95, title, fontsize=14, weight="bold", color=INK, va="top", parse_math=False
    )
    return png(figure)


def draw_network_stats(title: str, subtitle: str, per_day: list[tuple[str, int]]) -> bytes:
    figure = new_figure(7.0, 4.0)
    axes = figure.add_axes((0.08, 0.14, 0.9, 0.66))
    axes.bar(range(len(per_day)), [n for _, n in per_day], color=ACCENT, width=0.8)
    ticks = list(range(0, len(per_day), 7))
    axes.set_xticks(ticks, [per_day[i][0][5:] for i in ticks], fontsize=8, color=MUTED)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", labelsize=8, colors=MUTED)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # messages come whole
    figure.text(
        0.08, 0.96, title, fontsize=14, weight="bold", color=INK, va="top", parse_math=False
    )
    figure.text(0.08, 0.88, subtitle, fontsize=10, color=MUTED, va="top", parse_math=False)
    return png(figure)
