"""Descriptions render as the store would show them: allowed HTML kept, anything active dropped."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogctl.preview.sanitize import sanitize_html


def test_allowed_markup_is_kept_and_active_content_dropped() -> None:
    assert sanitize_html("<p>Soft <strong>cotton</strong></p>") == "<p>Soft <strong>cotton</strong></p>"
    assert sanitize_html("<p>a<script>alert(1)</script>b</p>") == "<p>ab</p>"
    assert sanitize_html('<a href="javascript:alert(1)" onclick="x()">l</a>') == '<a rel="nofollow noopener">l</a>'
    assert sanitize_html('<img src="https://x.test/a.png" onerror="x()">') == (
        '<img src="https://x.test/a.png" loading="lazy" alt="">')
    assert sanitize_html("<h1>Title</h1>") == "<h2>Title</h2>"


def test_unclosed_tags_are_closed_and_text_is_escaped() -> None:
    assert sanitize_html("<p><em>open") == "<p><em>open</em></p>"
    assert sanitize_html("1 < 2 & 3 > 2") == "1 &lt; 2 &amp; 3 &gt; 2"
    assert sanitize_html("<iframe src=x>inside</iframe>after") == "after"


_TAGS = st.sampled_from(["p", "b", "script", "a", "img", "iframe", "style", "svg", "div", "x-y"])
_ATTRS = st.sampled_from(['onclick="a()"', 'href="javascript:x"', 'src="data:x"', 'href="//evil"', 'style="x"', ""])
_PIECES = st.one_of(
    st.text(max_size=8),
    st.builds(lambda t, a: f"<{t} {a}>", _TAGS, _ATTRS),
    st.builds(lambda t: f"</{t}>", _TAGS),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_no_input_yields_scripts_handlers_or_unsafe_urls(markup: str) -> None:
    out = sanitize_html(markup)
    lowered = out.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<style" not in lowered
    assert not re.search(r"<[^>]*\son\w+=", lowered)
    assert not re.search(r'(href|src)="(?!https?://|mailto:|/(?!/)|#)', lowered)
    assert " style=" not in lowered
