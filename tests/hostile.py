"""Hostile input for the fuzz tests of forms: one strategy of nasty text and ids, and one
Hypothesis setting for how many examples a fuzz test draws.

Every run draws new examples (no example database is kept), so over many runs the forms
meet far more input than one run's share. FUZZ_EXAMPLES sets that share (default 12; e.g.
FUZZ_EXAMPLES=200 for a long hunt on one form)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50).map(lambda s: s + "\x00"),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "x" * 30_000,
            "\u202e\ufeff",
            "\u202e\u0007\x1b[31m",
            "\u202e\u0000\ud7ff",
            "3511 AB",
            "2026-02-30",
            "2026-13-45",
            "31-02-2020",
            "9999-99-99",
            "0000-01-01",
            "-1",
            "999999999999999999999",
        ]
    ),
)

# Ids as a form field or a query value would carry them.
ids = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63),
    st.text(max_size=20),
    st.sampled_from(["", "0", "1e9", "null", "[]", "abc", "1.5", "\x00", "99999999999999999999"]),
)

dates = st.one_of(st.dates().map(lambda d: d.isoformat()), hostile_text)
