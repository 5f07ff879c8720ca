"""A realistic plan for a print-on-demand tee store: one or more changes of every kind."""

from __future__ import annotations

import itertools

from planfixtures import D, as_live, category, group, image, plan, product, rmap, variant, webhook

from catalogctl.model.resource import Resource, ResourceMap
from catalogctl.plan.model import Plan

CDN = "https://cdn.teescape.example/img"
COLORS = {"Black": "#000000", "Heather Grey": "#9E9E9E", "Navy": "#1F2A44"}


def tee(sku: str, title: str, price: str, colors: list[str], sizes: list[str], **attrs: object) -> list[Resource]:
    resources = [product(sku, title=title, price=D(price), options=("Color", "Size"), category="Tees",
                         vendor="Teescape", tags=("cotton", "tees"), **attrs),
                 image(sku, 0, f"{CDN}/{sku.lower()}-front.png"), image(sku, 1, f"{CDN}/{sku.lower()}-back.png")]
    for n, (color, size) in enumerate(itertools.product(colors, sizes)):
        resources.append(variant(sku, (("Color", color), ("Size", size)), color=COLORS[color],
                                 sku=f"{sku}-{color[:2].upper()}-{size}", price=D(price), default=n == 0,
                                 weight=D("0.2")))
    return resources


def realistic_plan() -> Plan:
    before: ResourceMap = rmap(
        category("Tees"), group("Color", "color"), group("Size"),
        *tee("TS-CLASSIC", "Classic Tee", "24.99", ["Black", "Navy"], ["S", "M", "L"]),
        *tee("TS-POCKET", "Pocket Tee", "22.00", ["Black"], ["M", "L"]),
        *tee("TS-RETIRED", "Retired Tee", "19.99", ["Black"], ["M"]),
        product("HD-ZIP", title="Zip Hoodie", price=D("49.99"), category="Tees"),
        webhook("order-created", "https://hooks.teescape.example/orders"),
        webhook("legacy", "https://old.teescape.example/hook"),
    )
    live = as_live(before)
    desired: ResourceMap = rmap(
        category("Tees"), category("Hoodies"), group("Color", "color"), group("Size"),
        *tee("TS-CLASSIC", "Classic Tee", "27.99", ["Black", "Navy", "Heather Grey"], ["S", "M", "L"]),
        *tee("TS-POCKET", "Pocket Tee | Organic", "22.00", ["Black"], ["L"]),
        *tee("TS-VNECK", "V-Neck Tee", "26.50", ["Black", "Heather Grey"], ["S", "M", "L", "XL"]),
        product("HD-ZIP", title="Zip Hoodie", price=D("44.99"), category="Hoodies"),
        webhook("order-created", "https://hooks.teescape.example/v2/orders"),
    )
    desired[image("TS-CLASSIC", 1, "x").address] = image("TS-CLASSIC", 1, f"{CDN}/ts-classic-back-v2.png")
    return plan(desired, live, prune=True, target="production")
