"""`catalogctl sandbox serve --api shoprocket|shoplazza`: the two extra emulators in the foreground."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from catalogctl.sandbox.faults import FaultConfig
from catalogctl.sandbox.serve import base_url, serve_forever

APIS = ("shoprocket", "shoplazza")


def default_db(api: str) -> Path:
    """Each API keeps its own file beside the GrooveKart one, so `--api` alone never mixes stores."""
    return Path(".catalogctl") / f"sandbox-{api}.sqlite"


def run(api: str, sock: socket.socket, db_path: Path, api_key: str, faults: FaultConfig) -> None:
    """Print where the emulator listens and how to reach it, then serve until Ctrl-C."""
    url = base_url(sock)
    match api:
        case "shoprocket":
            from catalogctl.sandbox.shoprocket import create_app

            app = create_app(db_path, api_key, faults)
            lines = [f"Shoprocket sandbox listening on {url}  (store: {db_path})",
                     f"  endpoints:  POST {url}/v1/stores, POST {url}/v1/user",
                     f"  sr_auth:    {api_key}",
                     f'  target:     targets: {{bootstrap: {{provider: shoprocket, url: "{url}", api_key_env: ...}}}}']
        case "shoplazza":
            from catalogctl.sandbox.shoplazza import create_app as create_shop

            app = create_shop(db_path, api_key, faults)
            lines = [f"Shoplazza sandbox listening on {url}  (shop: {db_path})",
                     f"  endpoints:  GET {url}/openapi/2022-01/shop   shop facts: GET/PUT {url}/__sandbox/shop",
                     f"  access-token: {api_key}",
                     f'  target:     targets: {{shop: {{provider: shoplazza, url: "{url}", access_token_env: ...}}}}']
        case _:
            raise click.UsageError(f"--api {api}: not one of groovekart, {', '.join(APIS)}")
    for line in lines:
        click.echo(line)
    click.echo(f"  admin:      {url}/__sandbox/stats, /__sandbox/faults, /__sandbox/answers")
    if faults.active():
        click.echo(f"  faults:     {faults.model_dump(exclude_defaults=True)}")
    click.echo("Press Ctrl-C to stop.")
    serve_forever(app, sock)
