"""The pictures the bot draws: PNGs whose content reads back (the card's QR code decodes to
the profile link), whatever the member typed."""

from __future__ import annotations

import io

import numpy as np
import segno
import zxingcpp
from PIL import Image

from bridge.runtime.pictures.card import QUIET_ZONE, draw_card, profile_link, qr_modules
from bridge.runtime.pictures.stats_chart import Pair, draw_member_stats, draw_network_stats


def test_the_qr_matrix_is_the_librarys_encoding_of_the_link() -> None:
    link = profile_link("bridge_bot", "elise_guerin")
    assert link == "https://t.me/bridge_bot?start=p_elise_guerin"
    expected = segno.make(link, error="m", micro=False)
    modules = qr_modules(link)
    assert modules.shape == tuple(n + 2 * QUIET_ZONE for n in expected.symbol_size(border=0))
    inner = modules[QUIET_ZONE:-QUIET_ZONE, QUIET_ZONE:-QUIET_ZONE]
    assert (inner == np.array(expected.matrix, dtype=bool)).all()


def test_card_decodes_back_even_with_markup_like_names() -> None:
    link = profile_link("bridge_bot", "x")
    # "$…$" would be mathtext to matplotlib (and a bad expression an exception): drawn as is.
    data = draw_card(["$\\frac{1}{", "<b>Acme</b>", "@x"], "Élise $Guérin", "Scan", link)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [link]


def test_stats_charts_are_pngs_of_any_figures() -> None:
    pairs = [Pair("Sent $x$", 0, "Accepted", 0, "–"), Pair("Received", 1200, "Answered", 3, "0 %")]
    for data in (
        draw_member_stats("Vos 90 derniers jours", pairs),
        draw_network_stats("Messages", "Membres : 3", [("2026-11-23", 0)] * 30),
    ):
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and image.width > image.height
        darkest, lightest = image.convert("L").getextrema()
        assert darkest < 128 and lightest == 255  # ink on white
