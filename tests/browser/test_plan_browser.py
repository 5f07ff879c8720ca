"""`catalogctl plan --format html` of a realistic change to the applied pod-store, in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browserkit import assert_no_errors, catalogctl, shoot
from cdp import Page
from scenario import change_pod_store


@pytest.fixture(scope="module")
def plan_page(applied_pod_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    changed = tmp_path_factory.mktemp("changed") / "pod-store"
    shutil.copytree(applied_pod_store, changed)  # with its embedded sandbox and state
    change_pod_store(changed)
    out = changed.parent / "plan.html"
    result = catalogctl("plan", str(changed), "--format", "html", "--out", str(out))
    assert f"Wrote the HTML plan to {out}" in result.stderr and result.stdout == ""
    return out


def test_warnings_come_first_and_cards_show_before_and_after(page: Page, plan_page: Path) -> None:
    shoot(page, "plan", plan_page.as_uri())
    page.open(plan_page.as_uri())
    alert = page.eval("""(() => { const a = document.querySelector('.plan-alerts');
        const first = document.querySelector('.change-card');
        return {text: a.textContent, above: a.getBoundingClientRect().bottom <= first.getBoundingClientRect().top,
                role: a.getAttribute('role')}; })()""")
    assert alert["above"] and alert["role"] == "alert"
    assert 'product["HD-BOTANICAL"]: blocked replacement (category)' in alert["text"]
    cards = page.eval("[...document.querySelectorAll('.change-card h3')].map(h => h.textContent)")
    assert set(cards[:2]) == {"HD-BOTANICAL", "PR-PERIODIC"}  # destructive or blocked cards come first
    assert set(cards) == {"HD-BOTANICAL", "MUG-MONDAY", "PR-PERIODIC"}


def test_price_change_is_highlighted_with_its_percentage(page: Page, plan_page: Path) -> None:
    page.open(plan_page.as_uri())
    mug = page.eval("""(() => { const card = document.querySelector('[aria-labelledby="card-MUG-MONDAY"]');
        const row = [...card.querySelectorAll('table.diff tr.changed')]
            .find(r => r.querySelector('th').textContent === 'price');
        return {before: row.querySelector('.before').textContent, after: row.querySelector('.after').textContent,
                delta: row.querySelector('.delta').className,
                bg: getComputedStyle(row.querySelector('.after')).backgroundColor,
                struck: getComputedStyle(row.querySelector('.before')).textDecorationLine,
                added: [...card.querySelectorAll('.after .img-create figcaption')].map(f => f.textContent),
                thumbs: card.querySelectorAll('.images .pic.is-broken').length}; })()""")
    assert mug["before"] == "14.99" and mug["after"] == "16.99 ▲ +13.3%"
    assert mug["delta"] == "delta up" and mug["struck"] == "line-through"
    assert mug["bg"] == "rgb(234, 247, 238)"  # the highlighted new value
    assert mug["added"] == ["Position 3 · added"]
    assert mug["thumbs"] == 1  # offline: the added image shows its placeholder
    poster = page.eval("""(() => { const card = document.querySelector('[aria-labelledby="card-PR-PERIODIC"]');
        return {down: card.querySelector('.delta.down').textContent,
                removed: [...card.querySelectorAll('tr.v-delete td:first-child')].map(td => td.textContent)}; })()""")
    assert poster["down"] == "▼ -10.5%"
    assert sorted(poster["removed"]) == ["Print Size=8x10,Finish=Glossy", "Print Size=8x10,Finish=Matte"]
    assert_no_errors(page)
