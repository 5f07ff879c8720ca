"""The Shoplazza OpenAPI sandbox: one shop's facts over `GET /openapi/2022-01/shop`, stored in SQLite.

    from catalogctl.sandbox.shoplazza import create_app
    with serve_in_thread(create_app("shop.db")) as url:
        httpx.get(f"{url}/openapi/2022-01/shop?fields=id,name", headers={"access-token": ..., ...})
"""

from catalogctl.sandbox.shoplazza.app import DEFAULT_ACCESS_TOKEN, ERRORS, SHOP_PATH, create_app
from catalogctl.sandbox.shoplazza.bucket import LeakyBucket
from catalogctl.sandbox.shoplazza.shop import EXAMPLE_SHOP

__all__ = ["DEFAULT_ACCESS_TOKEN", "ERRORS", "EXAMPLE_SHOP", "SHOP_PATH", "LeakyBucket", "create_app"]
