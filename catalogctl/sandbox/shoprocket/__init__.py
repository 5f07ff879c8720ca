"""The Shoprocket v1 sandbox: create stores and users over HTTP, stored in SQLite.

    from catalogctl.sandbox.shoprocket import create_app
    with serve_in_thread(create_app("shoprocket.db")) as url:
        httpx.post(f"{url}/v1/stores", headers={"sr_auth": DEFAULT_API_KEY}, json={...})
"""

from catalogctl.sandbox.shoprocket.app import DEFAULT_API_KEY, MEANINGS, create_app

__all__ = ["DEFAULT_API_KEY", "MEANINGS", "create_app"]
