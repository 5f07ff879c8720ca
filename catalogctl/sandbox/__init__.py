"""The sandboxes: emulators of the store APIs over HTTP, stored in SQLite.

One package per store API (`groovekart/`, ...); what they share (serving over uvicorn, fault
injection, request counting) lives beside them. The GrooveKart emulator is the default and its
entry points are re-exported here:

    from catalogctl.sandbox import create_app, serve_in_thread
    with serve_in_thread(create_app("store.db")) as url:
        httpx.post(f"{url}/api/list_categories.json", json={...credentials...})
"""

from catalogctl.sandbox.faults import FaultConfig
from catalogctl.sandbox.groovekart import DEFAULT_CREDENTIALS, Credentials, create_app
from catalogctl.sandbox.serve import serve_in_thread

__all__ = ["DEFAULT_CREDENTIALS", "Credentials", "FaultConfig", "create_app", "serve_in_thread"]
