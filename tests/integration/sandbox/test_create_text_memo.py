"""parse_create remembers the answers of a variant group's, a tag list's and a short description's checks
(issue 13): met again, each must answer, or refuse with the same message, exactly as checked anew."""

from __future__ import annotations

from typing import Any

from catalogctl.sandbox.groovekart import payload, rules
from catalogctl.sandbox.groovekart.endpoints import products
from catalogctl.sandbox.groovekart.payload import Invalid


def _outcome(check: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", check(*args)
    except Invalid as exc:
        return "refused", str(exc)


_GROUPS: list[Any] = [
    {"name": "Color", "group_type": "color"}, {"name": " Size ", "group_type": "SELECT"}, {"name": "Size"},
    {"name": "Size", "group_type": ""}, {"name": "Size", "group_type": "dropdown"}, {"name": "", "group_type": "radio"},
    {"name": "a<b", "group_type": "radio"}, {"name": "x" * 200, "group_type": "radio"},
    {"name": 5, "group_type": "radio"},
    {"name": "Size", "group_type": 5}, {"name": "Size", "group_type": None}, {"group_type": "radio"}, "Size", None, [],
]
_TAGS: list[Any] = ["bench,t0", "", " a , b ,a", "a,,b", "x" * 33, "a<b", "t" * 300, ",".join(["t"] * 100), 5, None,
                    ["a"], "é,ü", "a;b"]
_TEXTS = ["", " ", "<p>fine</p>", "<script>x</script>", "onload = 1", "javascript:x", "<iframe>", "y" * 256,
          "y" * 257, "<b>" + "z" * 399 + "</b>", "z" * 401]


def _old_group(raw: Any) -> tuple[str, str]:
    data = payload.as_dict(raw, "variant_group")
    name = payload.as_str(data.get("name"), "name")
    payload.check(rules.generic_name(name, "variant group name"))
    from catalogctl.sandbox.groovekart import variant_input
    return name, variant_input.group_type(data.get("group_type"))


def test_groups_tags_and_texts_are_judged_as_anew() -> None:
    for _ in range(2):  # the second round meets what the first remembered
        for raw in _GROUPS:
            assert _outcome(products._group, raw) == _outcome(_old_group, raw)
        for raw in _TAGS:
            assert _outcome(products._tag_list, raw) == _outcome(payload.tag_list, raw)
        for text in _TEXTS:
            for field, max_text in (("description", None), ("short_description", 400)):
                assert products._clean_html(text, field, max_text) == rules.clean_html(text, field, max_text)
    first = products._tag_list("bench,t0")
    first.append("changed")  # a list of its own: the remembered one is untouched
    assert products._tag_list("bench,t0") == ["bench", "t0"]
