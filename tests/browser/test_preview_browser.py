"""`catalogctl preview` of examples/pod-store, opened from disk in Chromium as a merchant would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browserkit import ROOT, assert_no_errors, catalogctl, shoot
from cdp import Page
from scenario import add_warning


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    catalog = tmp_path_factory.mktemp("catalog") / "pod-store"
    shutil.copytree(ROOT / "examples" / "pod-store", catalog)
    add_warning(catalog)
    out = tmp_path_factory.mktemp("site")
    result = catalogctl("preview", str(catalog), "--out", str(out))
    assert "Wrote the preview of 25 products" in result.stdout
    return out


def _cards(page: Page) -> list[dict[str, object]]:
    return page.eval("""[...document.querySelectorAll('#grid .card')].filter(c => c.offsetParent).map(c => ({
        title: c.querySelector('.card-title').textContent,
        price: c.querySelector('.price .now').textContent,
        was: c.querySelector('.price s') ? getComputedStyle(c.querySelector('.price s')).textDecorationLine
             + ' ' + c.querySelector('.price s').textContent : null,
        swatches: [...c.querySelectorAll('.swatches .swatch')].map(s => getComputedStyle(s).backgroundColor),
        placeholder: c.querySelector('.pic').classList.contains('is-broken')
             && getComputedStyle(c.querySelector('.pic .ph')).display !== 'none'
             && c.querySelector('.pic').textContent.trim(),
        images: c.querySelectorAll('img').length,
        badges: [...c.querySelectorAll('.badge')].map(b => b.textContent),
    }))""")


def test_the_grid_shows_cards_prices_swatches_and_placeholders(page: Page, site: Path) -> None:
    shoot(page, "preview-index", (site / "index.html").as_uri())
    page.open((site / "index.html").as_uri())
    # Lazy images load when scrolled to; offline, each then fails and leaves its placeholder.
    page.eval("""new Promise(resolve => { window.scrollTo(0, document.body.scrollHeight); const start = Date.now();
        const poll = () => (!document.querySelector('#grid img') || Date.now() - start > 5000)
            ? resolve() : setTimeout(poll, 50); poll(); })""")
    cards = _cards(page)
    assert len(cards) == 25
    first = cards[0]
    assert first["title"] == "Botanical Sketch Crewneck"
    assert first["price"] == "$44.00 – $48.00"
    assert first["was"] == "line-through was $52.00"  # "was" is for screen readers
    assert first["swatches"] == ["rgb(17, 17, 17)", "rgb(47, 79, 58)", "rgb(107, 30, 43)"]
    # Offline: every image url fails, so every card shows its initials instead of a broken image.
    assert all(card["images"] == 0 for card in cards)
    assert first["placeholder"] == "BS"
    garden = next(card for card in cards if card["title"] == "Garden Herbs Mug")
    assert garden["badges"] == ["1 warning"]
    assert page.eval("document.querySelector('.pic.is-broken').getAttribute('aria-label')") == (
        "Botanical Sketch Crewneck (image unavailable)")
    assert_no_errors(page)


def test_search_and_category_filter_and_keyboard(page: Page, site: Path) -> None:
    page.open((site / "index.html").as_uri())
    page.eval("document.getElementById('q').focus()")
    page.type_text("mug")
    page.eval("new Promise(r => setTimeout(r, 100))")
    titles = [card["title"] for card in _cards(page)]
    assert len(titles) == 6 and all("Mug" in title for title in titles)
    assert page.eval("document.getElementById('count').textContent") == "Showing 1–6 of 6 matching products"
    page.eval("document.getElementById('q').value = ''; const s = document.getElementById('cat');"
              "s.value = 'posters-prints'; s.dispatchEvent(new Event('change'))")
    page.eval("new Promise(r => setTimeout(r, 100))")
    assert [card["title"] for card in _cards(page)][:1] == ["City Subway Lines Print"]
    assert len(_cards(page)) == 6
    # Keyboard only: the skip link comes first, and Tab reaches the first product card.
    page.open((site / "index.html").as_uri())
    page.tab()
    assert page.eval("document.activeElement.textContent") == "Skip to content"
    for _ in range(12):
        page.tab()
        if page.eval("document.activeElement.classList.contains('card-link')"):
            break
    assert page.eval("document.activeElement.querySelector('.card-title').textContent") == "Botanical Sketch Crewneck"
    outline = page.eval("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused card shows no focus ring"
    page.press("Enter", key_code=13)
    page.browser.wait_for("Page.loadEventFired", page.session)
    assert page.eval("location.pathname").endswith("/products/hd-botanical.html")
    assert_no_errors(page)


def test_the_product_page_shows_gallery_variants_description_and_warnings(page: Page, site: Path) -> None:
    shoot(page, "preview-product", (site / "products" / "hd-botanical.html").as_uri())
    page.open((site / "products" / "hd-botanical.html").as_uri())
    assert page.eval("document.querySelector('h1').textContent") == "Botanical Sketch Crewneck"
    assert page.eval("document.querySelectorAll('.thumbs li').length") == 3
    assert page.eval("document.querySelectorAll('.variants tbody tr').length") == 15
    default_row = page.eval("document.querySelector('tr.is-default').textContent")
    assert "HD-BOTANICAL-Black-L" in default_row and "✓" in default_row
    assert page.eval("document.querySelector('.description p').textContent") == "Vintage botanical sketches of ferns."
    assert page.eval("document.querySelectorAll('img').length") == 0  # all offline: placeholders only
    assert page.eval("document.querySelectorAll('.warnings').length") == 0
    page.eval("document.querySelectorAll('.thumbs a')[1].click()")
    assert page.eval("document.querySelectorAll('.thumbs a')[1].getAttribute('aria-current')") == "true"
    page.open((site / "products" / "mug-garden.html").as_uri())
    warning = page.eval("document.querySelector('.warnings').textContent")
    assert "compare_at_price 1.00 is not greater than price 14.99" in warning
    assert_no_errors(page)
