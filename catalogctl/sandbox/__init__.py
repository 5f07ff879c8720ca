"""The sandbox: an emulator of the GrooveKart vendor API over HTTP, stored in SQLite.

    from catalogctl.sandbox import create_app, serve_in_thread
    with serve_in_thread(create_app("store.db")) as url:
        httpx.post(f"{url}/api/list_categories.json", json={...credentials...})
"""

from catalogctl.sandbox.app import create_app
from catalogctl.sandbox.credentials import DEFAULT_CREDENTIALS, Credentials
from catalogctl.sandbox.faults import FaultConfig
from catalogctl.sandbox.serve import serve_in_thread

__all__ = ["DEFAULT_CREDENTIALS", "Credentials", "FaultConfig", "create_app", "serve_in_thread"]
