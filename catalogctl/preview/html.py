"""HTML fragments of the shop pages, shared by the static preview and the sandbox storefront.

Every merchant-written string goes through `esc` (or the description sanitiser); links and asset
paths are passed in, so the same fragments work from `file://` and from the sandbox's routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from catalogctl.preview.model import Placeholder, ProductView, Swatch, VariantRow, money, placeholder, price_text
from catalogctl.preview.sanitize import sanitize_html


def esc(text: object) -> str:
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class Links:
    """Where a page's links point: `assets` and `root` end with a slash (`../assets/`, `/`)."""

    assets: str
    root: str
    product_suffix: str = ".html"

    def product(self, slug: str) -> str:
        return f"{self.root}products/{slug}{self.product_suffix}"


def page(title: str, body: str, links: Links, *, store_name: str, nav: str = "", note: str = "") -> str:
    """A whole document: skip link, header, main, footer; the stylesheet and script are local files."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f'<title>{esc(title)}</title><link rel="stylesheet" href="{links.assets}site.css">'
        f'<script src="{links.assets}site.js"></script></head>\n<body>'
        '<a class="skip" href="#main">Skip to content</a>'
        f'<header class="site-header"><a class="brand" href="{links.root}">{esc(store_name)}</a>'
        f'<nav aria-label="Main">{nav}</nav></header>\n'
        f'<main id="main" tabindex="-1">{body}</main>\n'
        f'<footer class="site-footer"><p>{note}</p></footer></body></html>\n'
    )


def picture(src: str | None, alt: str, product: ProductView, *, css: str = "", lazy: bool = True) -> str:
    """The product's image over its placeholder (see `image_over`)."""
    return image_over(src, alt, placeholder(product.title, product.sku), css=css, lazy=lazy)


def image_over(src: str | None, alt: str, mark: Placeholder, *, css: str = "", lazy: bool = True) -> str:
    """The image over a placeholder (initials on the product's colour); site.js removes the image
    when it cannot load, so a shopper sees the placeholder, never a broken-image icon."""
    classes = f"pic {css}".strip()
    initials = f'<span class="ph" aria-hidden="true">{esc(mark.initials)}</span>'
    if not src:
        return (f'<div class="{classes} is-empty" style="--h:{mark.hue}" role="img" '
                f'aria-label="{esc(alt)} (no image)">{initials}</div>')
    loading = ' loading="lazy"' if lazy else ""
    return (f'<div class="{classes}" style="--h:{mark.hue}">{initials}'
            f'<img src="{esc(src)}" alt="{esc(alt)}"{loading} decoding="async"></div>')


def swatches(items: tuple[Swatch, ...], *, limit: int = 8) -> str:
    if not items:
        return ""
    shown = "".join(f'<li><span class="swatch" style="--c:{esc(s.color)}" title="{esc(s.name)}"></span>'
                    f'<span class="sr">{esc(s.name)}</span></li>' for s in items[:limit])
    more = f'<li class="more">+{len(items) - limit}</li>' if len(items) > limit else ""
    return f'<ul class="swatches" aria-label="Colours">{shown}{more}</ul>'


def price_block(product: ProductView, currency: str) -> str:
    """Price or range; the compare-at price struck through when it is above what a shopper pays."""
    was = ""
    low, _ = product.prices
    if product.compare_at_price > low:
        was = (f' <s class="was"><span class="sr">was </span>{esc(money(product.compare_at_price, currency))}</s>')
    return f'<p class="price"><span class="now">{esc(price_text(product, currency))}</span>{was}</p>'


def badges(product: ProductView) -> str:
    parts = []
    if not product.active:
        parts.append('<span class="badge inactive">Inactive</span>')
    if product.visibility != "both":
        parts.append(f'<span class="badge">Visibility: {esc(product.visibility)}</span>')
    if product.warnings:
        n = len(product.warnings)
        parts.append(f'<span class="badge warn">{n} warning{"s" if n != 1 else ""}</span>')
    return " ".join(parts)


def card(product: ProductView, links: Links, currency: str, category_slug: str) -> str:
    """One grid item: the whole card is one link (one tab stop), the title is its heading."""
    search = " ".join((product.title, product.sku, product.category, *product.tags)).lower()
    state = "" if product.active else " is-inactive"
    return (
        f'<li class="card{state}" data-cat="{esc(category_slug)}" data-q="{esc(search)}">'
        f'<a class="card-link" href="{esc(links.product(product.slug))}">'
        f'{picture(product.cover, product.title, product)}'
        f'<h2 class="card-title">{esc(product.title)}</h2></a>'
        f'{price_block(product, currency)}{swatches(product.swatches)}'
        f'<p class="meta"><span class="cat">{esc(product.category)}</span> {badges(product)}</p></li>'
    )


def warnings_box(items: tuple[str, ...] | list[str], title: str) -> str:
    if not items:
        return ""
    lines = "".join(f"<li>{esc(item)}</li>" for item in items)
    return (f'<aside class="warnings" role="note" aria-label="{esc(title)}"><h2>{esc(title)}</h2>'
            f"<ul>{lines}</ul></aside>")


def product_body(product: ProductView, links: Links, currency: str, *, breadcrumb: str) -> str:
    """The product page: gallery, price, swatches, description as the store shows it, variant grid."""
    gallery = _gallery(product)
    tags = "".join(f"<li>{esc(tag)}</li>" for tag in product.tags)
    short = f'<div class="short">{sanitize_html(product.short_description)}</div>' if product.short_description else ""
    description = sanitize_html(product.description) if product.description else "<p>No description.</p>"
    vendor = f'<p class="vendor">by {esc(product.vendor)}</p>' if product.vendor else ""
    return (
        f'<nav class="crumbs" aria-label="Breadcrumb">{breadcrumb}</nav>'
        f'{warnings_box(product.warnings, "Validation warnings for this product")}'
        f'<article class="product"><div class="gallery-col">{gallery}</div><div class="info-col">'
        f'<h1>{esc(product.title)}</h1>{vendor}'
        f'<p class="meta">SKU <code>{esc(product.sku)}</code> {badges(product)}</p>'
        f'{price_block(product, currency)}{swatches(product.swatches, limit=64)}{short}'
        f'<section class="description" aria-label="Description">{description}</section>'
        + (f'<ul class="tags" aria-label="Tags">{tags}</ul>' if tags else "")
        + f'</div></article>{variant_table(product, currency)}'
    )


def _gallery(product: ProductView) -> str:
    if not product.images:
        return picture(None, product.title, product, css="main-pic")
    main = picture(product.images[0], f"{product.title}, image 1 (cover)", product, css="main-pic", lazy=False)
    if len(product.images) == 1:
        return f'<div class="gallery">{main}</div>'
    thumbs = "".join(
        f'<li><a href="{esc(src)}" data-full="{esc(src)}" aria-label="Show image {n}">'
        f'{picture(src, f"{product.title}, image {n}" + (" (cover)" if n == 1 else ""), product, css="thumb")}</a></li>'
        for n, src in enumerate(product.images, start=1))
    return f'<div class="gallery">{main}<ol class="thumbs" aria-label="All images in order">{thumbs}</ol></div>'


def variant_table(product: ProductView, currency: str) -> str:
    if not product.variants:
        return ""
    groups = product.options or tuple(group for group, _ in product.variants[0].values)
    head = "".join(f'<th scope="col">{esc(group)}</th>' for group in groups)
    rows = "".join(_variant_row(product, variant, groups, currency) for variant in product.variants)
    return (f'<section class="variants" aria-labelledby="variants-h"><h2 id="variants-h">Variants '
            f'({len(product.variants)})</h2><div class="table-wrap" tabindex="0" role="region" '
            f'aria-labelledby="variants-h"><table><thead><tr>{head}<th scope="col">SKU</th><th scope="col">Price'
            f'</th><th scope="col">Compare at</th><th scope="col">Weight</th><th scope="col">Default</th>'
            f'<th scope="col">Image</th></tr></thead><tbody>{rows}</tbody></table></div></section>')


def _variant_row(product: ProductView, variant: VariantRow, groups: tuple[str, ...], currency: str) -> str:
    values = dict(variant.values)
    cells = []
    for group in groups:
        value = values.get(group, "")
        swatch = variant.swatch
        dot = (f'<span class="swatch" style="--c:{esc(swatch.color)}" aria-hidden="true"></span> '
               if swatch is not None and swatch.name == value else "")
        cells.append(f"<td>{dot}{esc(value)}</td>")
    compare = money(variant.compare_at_price, currency) if variant.compare_at_price > 0 else "—"
    weight = f"{_plain(variant.weight)} {variant.weight_unit}".strip() if variant.weight else "—"
    image = picture(variant.image, f"{product.title}, {variant.label}", product, css="thumb") if variant.image else "—"
    default = '<span aria-label="default">✓</span>' if variant.default else ""
    row_class = ' class="is-default"' if variant.default else ""
    return (f'<tr{row_class}>{"".join(cells)}<td><code>{esc(variant.sku) or "—"}</code></td>'
            f'<td>{esc(money(variant.price, currency))}</td><td>{esc(compare)}</td><td>{esc(weight)}</td>'
            f"<td>{default}</td><td>{image}</td></tr>")


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")
