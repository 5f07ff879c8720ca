"""The sandbox storefront (`catalogctl sandbox serve`, root url) after applying pod-store, in Chromium."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import ROOT, assert_no_errors, shoot
from cdp import Page


@pytest.fixture(scope="module")
def storefront(applied_pod_store: Path) -> Iterator[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogctl", "sandbox", "serve", "--port", "0", "--db",
         str(applied_pod_store / ".catalogctl" / "sandbox.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
        assert match, first + (process.stderr.read() if process.stderr else "")
        yield match.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def test_the_storefront_shows_what_apply_did(page: Page, storefront: str) -> None:
    shoot(page, "storefront", f"{storefront}/")
    page.open(f"{storefront}/")
    cards = page.eval("""[...document.querySelectorAll('.card')].map(c => ({
        title: c.querySelector('.card-title').textContent, price: c.querySelector('.now').textContent,
        swatches: c.querySelectorAll('.swatch').length, placeholder: c.querySelector('.pic.is-broken') !== null}))""")
    assert len(cards) == 25
    assert {"title": "Botanical Sketch Crewneck", "price": "$44.00 – $48.00", "swatches": 3,
            "placeholder": True} in cards
    page.eval("[...document.querySelectorAll('.card-link')].find(a => a.textContent.includes('Botanical')).click()")
    page.browser.wait_for("Page.loadEventFired", page.session)
    assert page.eval("document.querySelector('h1').textContent") == "Botanical Sketch Crewneck"
    product_url = page.eval("location.href")
    assert page.eval("document.querySelectorAll('.variants tbody tr').length") == 15
    assert_no_errors(page)
    shoot(page, "storefront-product", product_url)
