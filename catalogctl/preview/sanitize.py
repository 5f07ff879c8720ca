"""Descriptions as the store would show them: HTML through an allowlist. The store refuses scripts,
handlers and frames at write time (config.store_rules); this renders what is left, and drops
anything else rather than trusting it, so a preview can never run a catalog's markup."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

_ALLOWED: dict[str, frozenset[str]] = {
    **{tag: frozenset() for tag in (
        "p", "br", "strong", "b", "em", "i", "u", "s", "small", "sub", "sup", "ul", "ol", "li", "blockquote",
        "h2", "h3", "h4", "h5", "h6", "code", "pre", "hr", "span", "div", "table", "thead", "tbody", "tr",
        "dl", "dt", "dd", "figure", "figcaption")},
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
}
_VOID = frozenset({"br", "hr", "img"})
# Content of these is dropped entirely, not just the tags.
_DROP_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"})
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#")
# A catalog's h1 would compete with the page's own title: demote it.
_RENAME = {"h1": "h2"}


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = _RENAME.get(tag, tag)
        if tag in _DROP_CONTENT:
            self.dropping += 1
            return
        if self.dropping or tag not in _ALLOWED:
            return
        kept = "".join(f' {name}="{escape(value)}"' for name, value in attrs
                       if name in _ALLOWED[tag] and value is not None and _safe(name, value))
        if tag == "a":
            kept += ' rel="nofollow noopener"'
        if tag == "img":
            kept += ' loading="lazy"' + ("" if any(n == "alt" for n, _ in attrs) else ' alt=""')
        self.out.append(f"<{tag}{kept}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        tag = _RENAME.get(tag, tag)
        if tag not in _VOID and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = _RENAME.get(tag, tag)
        if tag in _DROP_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:  # close what was left open inside it, so the output stays balanced
            inner = self.open.pop()
            self.out.append(f"</{inner}>")
            if inner == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))


def _safe(name: str, value: str) -> bool:
    if name not in ("href", "src"):
        return True
    compact = "".join(value.split()).lower()
    return compact.startswith(_SAFE_SCHEMES) and not compact.startswith("//")


def sanitize_html(markup: str) -> str:
    """The allowed subset of `markup`, balanced, with every text and attribute escaped."""
    parser = _Sanitizer()
    parser.feed(markup)
    parser.close()
    parser.out.extend(f"</{tag}>" for tag in reversed(parser.open))
    return "".join(parser.out)
