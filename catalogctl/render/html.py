"""The plan as one self-contained HTML page (CSS and script inlined, no network): warnings first,
then a card per product that changes with before and after side by side, then the other kinds.
Built from the same view model as the markdown comment (render.view), regrouped by product."""

from __future__ import annotations

import json
from importlib import resources

from catalogctl.model.address import Address
from catalogctl.plan.model import ChangeAction, Plan
from catalogctl.preview.html import esc, image_over
from catalogctl.preview.model import Placeholder, placeholder
from catalogctl.render.plan_cards import Item, PlanCards, ProductCard, group_cards
from catalogctl.render.view import FieldLine, PlanView, Section, build_view

MAX_VARIANT_ROWS = 60  # per card; the rest are counted (the JSON plan has them all)
_LABELS = {
    ChangeAction.CREATE: "added", ChangeAction.UPDATE: "changed", ChangeAction.REPLACE: "replaced",
    ChangeAction.DELETE: "removed", ChangeAction.UNSUPPORTED: "unsupported",
}


def render_html(plan: Plan, *, plan_file: str | None = None) -> str:
    """The whole page for `plan --format html`."""
    return format_html(build_view(plan), plan_file=plan_file)


def format_html(view: PlanView, *, plan_file: str | None = None) -> str:
    cards = group_cards(view)
    title = f"catalogctl plan for {view.target}"
    footer = (f'<p class="lead">The plan file is <code>{esc(plan_file)}</code>: <code>catalogctl apply '
              f"{esc(plan_file)}</code> carries out exactly this plan.</p>" if plan_file else "")
    body = (f'<header class="plan-head"><h1>{esc(title)}</h1><p class="summary">{esc(view.summary_line)}</p>'
            f'{_chips(view)}</header>{_alerts(view)}{_notes(view)}{_policy(view)}{_products(cards)}'
            + "".join(_section(section) for section in cards.others) + _unmanaged(view) + footer
            + _provenance(view))
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
            f"<title>{esc(title)}</title><style>{_asset('preview', 'site.css')}{_asset('render', 'plan.css')}</style>"
            f"<script>{_asset('preview', 'site.js')}</script></head>\n<body>"
            f'<main id="main" class="plan">{body}</main></body></html>\n')


def _asset(package: str, name: str) -> str:
    return (resources.files(f"catalogctl.{package}") / "assets" / name).read_text(encoding="utf-8")


def _chips(view: PlanView) -> str:
    chips = "".join(f'<li class="chip {action.value}"><span class="n">{n}</span> {action.value}</li>'
                    for action, n in view.counts.items() if n)
    if view.blocked:
        chips += f'<li class="chip blocked"><span class="n">{view.blocked}</span> blocked</li>'
    if view.renamed:
        chips += f'<li class="chip renamed"><span class="n">{view.renamed}</span> renamed</li>'
    return f'<ul class="chips" aria-label="Changes by action">{chips}</ul>' if chips else ""


def _alerts(view: PlanView) -> str:
    """Safety refusal first, then every warning: what a reviewer must see before anything else."""
    items = ([f'<li class="safety">{esc(view.safety_note)}</li>'] if view.safety_note else [])
    items += [f"<li>{esc(warning)}</li>" for warning in view.warnings]
    if not items:
        return ""
    n = len(items)
    return (f'<section class="warnings plan-alerts" role="alert" aria-labelledby="alerts-h"><h2 id="alerts-h">'
            f'{n} warning{"s" if n != 1 else ""}: destructive or blocked changes</h2>'
            f'<ul>{"".join(items)}</ul></section>')


def _notes(view: PlanView) -> str:
    """The partial-plan scope and the plan's notes (what could not be compared, differences ignored by
    lifecycle.ignore_changes): the same lines the text and markdown formats show."""
    lines = [*([view.scope_note] if view.scope_note else []), *view.notes]
    if not lines:
        return ""
    return ('<section class="plan-notes" aria-label="Notes"><ul>'
            + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul></section>")


def _policy(view: PlanView) -> str:
    """The "Policy" block, before the details: the policies checked and every violation."""
    lines = view.policy_lines
    if not lines:
        return ""
    head, *violations = lines
    css = "plan-policy broken" if violations else "plan-policy"
    items = "".join(f"<li>✗ {esc(line)}</li>" for line in violations)
    return (f'<section class="{css}" aria-labelledby="policy-h"><h2 id="policy-h">Policy</h2><p>{esc(head)}</p>'
            + (f"<ul>{items}</ul>" if items else "") + "</section>")


def _provenance(view: PlanView) -> str:
    """The last line: target, catalog commit, and the command that makes this plan again."""
    source = view.provenance
    if source is None:
        return ""
    parts = [f"Target <code>{esc(source.target)}</code>"]
    if source.commit:
        parts.append(f"catalog at commit <code>{esc(source.commit)}</code>")
    if source.command:
        parts.append(f"reproduce with <code>{esc(source.command)}</code>")
    return f'<p class="provenance">{" · ".join(parts)}</p>'


def _products(cards: PlanCards) -> str:
    if not cards.products:
        return "" if cards.view.has_changes else '<p class="no-changes">No changes. The store matches the catalog.</p>'
    ordered = sorted(cards.products, key=lambda card: not card.destructive)  # destructive cards first
    return (f'<section aria-labelledby="products-h"><h2 id="products-h">Products ({len(ordered)} changing)</h2>'
            + "".join(_card(card) for card in ordered) + "</section>")


def _card(card: ProductCard) -> str:
    action = card.product.change.action if card.product else ChangeAction.UPDATE
    heading = card.title or card.sku
    verb = card.product.row.verb if card.product else "changes below"
    renamed = esc(card.product.row.renamed) if card.product else ""
    flag = ' <span class="badge danger">destructive</span>' if card.destructive else ""
    note = (f'<p class="note">{esc(card.product.row.note)}</p>' if card.product and card.product.row.note else "")
    return (f'<article class="change-card {action.value}" aria-labelledby="card-{esc(card.sku)}">'
            f'<header><h3 id="card-{esc(card.sku)}">{esc(heading)}</h3><p class="meta"><code>{esc(card.address)}'
            f'</code>{renamed} <span class="badge {action.value}">{esc(verb)}</span>{flag}</p></header>{note}'
            f"{_fields(card)}{_images(card)}{_variants(card)}</article>")


def _fields(card: ProductCard) -> str:
    if card.product is None or not card.product.row.fields:
        return ""
    rows = "".join(_field_row(line, card.product.change.action) for line in card.product.row.fields)
    return ('<table class="diff"><caption class="sr">Product fields, before and after</caption><thead><tr>'
            '<th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _field_row(line: FieldLine, action: ChangeAction) -> str:
    if line.name == "delete":
        return f'<tr><td colspan="3" class="reason">⚠ {esc(line.reason or "")}</td></tr>'
    before = _shown(line.old) if line.old is not None else ("—" if action is ChangeAction.CREATE else "")
    after = _shown(line.new)
    if action is ChangeAction.DELETE:
        before, after = after, "—"
    changed = line.old is not None and line.old != line.new
    delta = ""
    if line.percent:
        direction = "up" if line.percent.startswith("+") else "down"
        arrow = "▲" if direction == "up" else "▼"
        delta = f' <span class="delta {direction}">{arrow} {esc(line.percent)}</span>'
    reason = f'<tr><td colspan="3" class="reason">⚠ {esc(line.reason)}</td></tr>' if line.reason else ""
    css = ' class="changed"' if changed else ""
    return (f'<tr{css}><th scope="row">{esc(line.name)}</th><td class="before">{esc(before)}</td>'
            f'<td class="after">{esc(after)}{delta}</td></tr>{reason}')


def _shown(text: str) -> str:
    """Field values come JSON-quoted from the view (`"Tee"`); people read them without quotes."""
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            return text
        return value if isinstance(value, str) else text
    return text


def _images(card: ProductCard) -> str:
    if not card.images:
        return ""
    mark = placeholder(card.title or card.sku, card.sku)
    before_srcs = {_src(item.change.before): _pos(item) for item in card.images if item.change.before}
    before, after = [], []
    for item in card.images:
        position = _pos(item)
        label = _LABELS[item.change.action]
        old, new = _src(item.change.before), _src(item.change.after)
        if new and new in before_srcs and before_srcs[new] != position:
            label = f"moved from {before_srcs[new] + 1}"
        before.append(_figure(old, position, label if old else "", mark, "img-" + item.change.action.value))
        after.append(_figure(new, position, label if new else "removed", mark, "img-" + item.change.action.value))
    return ('<section class="images" aria-label="Images"><h4>Images</h4><div class="before-after">'
            f'<div class="side before"><h5>Before</h5><ol>{"".join(before)}</ol></div>'
            f'<div class="side after"><h5>After</h5><ol>{"".join(after)}</ol></div></div></section>')


def _figure(src: str | None, position: int, label: str, mark: Placeholder, css: str) -> str:
    where = f"Position {position + 1}" + (" (cover)" if position == 0 else "")
    if src is None:
        return f'<li class="{css} empty"><div class="pic thumb gone" aria-hidden="true"></div><span>{where}</span></li>'
    picture = image_over(src, f"{where}: {label}", mark, css="thumb")
    return (f'<li class="{css}"><figure>{picture}<figcaption>{where}'
            f'{f" · <strong>{esc(label)}</strong>" if label else ""}</figcaption></figure></li>')


def _src(side: dict[str, object] | None) -> str | None:
    value = side.get("src") if side else None
    return value if isinstance(value, str) else None


def _pos(item: Item) -> int:
    return int(Address.parse(item.change.address).key)


def _variants(card: ProductCard) -> str:
    if not card.variants:
        return ""
    rows = "".join(_variant_row(item) for item in card.variants[:MAX_VARIANT_ROWS])
    more = len(card.variants) - MAX_VARIANT_ROWS
    tail = f'<p class="lead">… and {more} more variant changes (see the JSON plan).</p>' if more > 0 else ""
    return (f'<section class="variant-changes" aria-label="Variants"><h4>Variants ({len(card.variants)} changing)</h4>'
            '<div class="table-wrap" tabindex="0" role="region" aria-label="Variant changes"><table>'
            '<thead><tr><th scope="col">Variant</th><th scope="col">Change</th><th scope="col">Before</th>'
            f'<th scope="col">After</th></tr></thead><tbody>{rows}</tbody></table></div>{tail}</section>')


def _variant_row(item: Item) -> str:
    change, row = item.change, item.row
    key = Address.parse(change.address).key
    swatch = ""
    color = (change.after or change.before or {}).get("color")
    if isinstance(color, str) and color.startswith("#"):
        swatch = f'<span class="swatch" style="--c:{esc(color)}" aria-hidden="true"></span> '
    fields = [line for line in row.fields if line.name not in ("color", "values")]
    before = "<br>".join(f"{esc(f.name)}: {esc(_shown(f.old))}" for f in fields if f.old is not None)
    after = "<br>".join(
        f"{esc(f.name)}: {esc(_shown(f.new))}"
        + (f' <span class="delta {"up" if f.percent.startswith("+") else "down"}">{esc(f.percent)}</span>'
           if f.percent else "") for f in fields if change.action is not ChangeAction.DELETE)
    note = f'<br><span class="note">{esc(row.note)}</span>' if row.note else ""
    return (f'<tr class="v-{change.action.value}"><td>{swatch}{esc(key)}</td><td><span class="badge '
            f'{change.action.value}">{esc(_LABELS[change.action])}</span></td><td>{before or "—"}</td>'
            f'<td>{after or "—"}{note}</td></tr>')


def _section(section: Section) -> str:
    items = []
    for row in section.rows:
        fields = "".join(f"<li>{esc(line.name)}: {esc(_shown(line.old)) + ' → ' if line.old is not None else ''}"
                         f"{esc(_shown(line.new))}{' — ⚠ ' + esc(line.reason) if line.reason else ''}</li>"
                         for line in row.fields)
        items.append(f'<li class="{row.action.value}"><code>{esc(row.symbol)}</code> <code>{esc(row.address)}</code> '
                     f'{esc(row.verb)}{f"<ul>{fields}</ul>" if fields else ""}</li>')
    return (f'<section class="other" aria-label="{esc(section.title)}"><h2>{esc(section.title)} '
            f'({len(section)})</h2><ul class="rows">{"".join(items)}</ul></section>')


def _unmanaged(view: PlanView) -> str:
    if not view.unmanaged:
        return ""
    shown = "".join(f"<li><code>{esc(a)}</code></li>" for a in view.unmanaged[:200])
    more = f"<li>… and {len(view.unmanaged) - 200} more</li>" if len(view.unmanaged) > 200 else ""
    return (f'<details class="unmanaged"><summary>Unmanaged: {len(view.unmanaged)} live objects not in the catalog '
            f"(left alone)</summary><ul>{shown}{more}</ul></details>")
