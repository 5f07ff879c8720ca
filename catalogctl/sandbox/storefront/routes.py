"""The storefront pages at the sandbox's root url: the product grid and one page per product, read
from the same SQLite store the API writes, so a user sees what `apply` did."""

from __future__ import annotations

from importlib import resources

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from catalogctl.preview.html import Links, card, esc, page, product_body
from catalogctl.preview.model import slugify
from catalogctl.sandbox.storefront import query

PAGE_SIZE = 48
STORE_NAME = "GrooveKart sandbox store"
CURRENCY = "USD"
_LINKS = Links(assets="/assets/", root="/", product_suffix="")
_NOTE = ("The storefront of the catalogctl sandbox: what a shopper would see. "
         "The admin routes are under <code>/__sandbox/</code>.")
_ASSETS = {"site.css": "text/css; charset=utf-8", "site.js": "text/javascript; charset=utf-8"}
_NAV = '<a href="/">All products</a>'


async def home(request: Request) -> Response:
    number = _page_number(request.query_params.get("page", "1"))
    offset = (number - 1) * PAGE_SIZE

    def read(conn):  # type: ignore[no-untyped-def]
        return query.count_visible(conn), query.visible_page(conn, offset, PAGE_SIZE)

    total, products = await run_in_threadpool(request.app.store.read, read)
    cards = "".join(card(p, _LINKS, CURRENCY, slugify(p.category)) for p in products)
    pages = max(1, -(-total // PAGE_SIZE))
    if products:
        status = f"Showing {offset + 1:,}–{offset + len(products):,} of {total:,} products"
    else:
        status = "No products yet: run <code>catalogctl apply</code> against this sandbox."
    body = (f'<h1>{esc(STORE_NAME)}</h1><p class="count" id="count">{status}</p>'
            f'<ul class="grid" id="grid">{cards}</ul>{_pager(number, pages)}')
    return HTMLResponse(page(STORE_NAME, body, _LINKS, store_name=STORE_NAME, nav=_NAV, note=_NOTE))


async def product(request: Request) -> Response:
    try:
        product_id = int(request.path_params["product_id"])
    except ValueError:
        return _not_found()
    found = await run_in_threadpool(request.app.store.read, lambda conn: query.one_product(conn, product_id))
    if found is None:
        return _not_found()
    crumb = (f'<a href="/">All products</a> › <span>{esc(found.category)}</span> › '
             f'<span aria-current="page">{esc(found.title)}</span>')
    body = product_body(found, _LINKS, CURRENCY, breadcrumb=crumb)
    return HTMLResponse(page(f"{found.title} · {STORE_NAME}", body, _LINKS, store_name=STORE_NAME, nav=_NAV,
                             note=_NOTE))


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _ASSETS:
        return Response("not found", 404, media_type="text/plain")
    data = (resources.files("catalogctl.preview") / "assets" / name).read_bytes()
    return Response(data, media_type=_ASSETS[name], headers={"Cache-Control": "no-cache"})


def _not_found() -> Response:
    body = '<h1>Product not found</h1><p><a href="/">Back to all products</a></p>'
    return HTMLResponse(page("Not found", body, _LINKS, store_name=STORE_NAME, nav=_NAV, note=_NOTE), 404)


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 10**9 else 1


def _pager(number: int, pages: int) -> str:
    if pages == 1:
        return ""
    prev = f'<a rel="prev" href="/?page={number - 1}">← Previous</a>' if number > 1 else "<span></span>"
    nxt = f'<a rel="next" href="/?page={number + 1}">Next →</a>' if number < pages else "<span></span>"
    return f'<nav class="pager" aria-label="Pages">{prev}<span>Page {number:,} of {pages:,}</span>{nxt}</nav>'


def routes() -> list[Route]:
    """The storefront's GET routes; mounted by the sandbox app beside its API and admin routes."""
    return [
        Route("/", home, methods=["GET"]),
        Route("/products/{product_id}", product, methods=["GET"]),
        Route("/assets/{name}", asset, methods=["GET"]),
    ]
