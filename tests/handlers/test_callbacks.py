"""Callback data: packed within Telegram's 64 bytes, and anything forged parses to None."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.handlers.callbacks import MAX_BYTES, Callback, Op, cb


@given(st.sampled_from(list(Op)), st.integers(0, 2**53 - 1),
       st.from_regex(r"[A-Za-z0-9._-]{0,40}", fullmatch=True))
def test_every_packed_callback_fits_and_round_trips(op, arg, extra):
    data = cb(op, arg, extra)
    assert len(data.encode()) <= MAX_BYTES
    assert Callback.parse(data) == Callback(op=op, arg=arg, extra=extra)


@pytest.mark.parametrize("forged", [
    None, "", "zz:1", "ia", "ia:", "ia:-1", "ia:xyz", "ia:1:<script>", "ia:1:" + "a" * 60,
    "ia:" + "f" * 20, "💥:1",
])
def test_forged_or_malformed_data_is_rejected(forged):
    assert Callback.parse(forged) is None
