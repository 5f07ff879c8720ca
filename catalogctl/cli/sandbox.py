"""`catalogctl sandbox serve`: run the GrooveKart emulator on loopback with a SQLite file."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import click
from pydantic import ValidationError

from catalogctl.cli.errors import handle_errors
from catalogctl.errors import CatalogError
from catalogctl.sandbox import DEFAULT_CREDENTIALS, Credentials, FaultConfig, create_app
from catalogctl.sandbox.serve import base_url, bind, serve_forever
from catalogctl.sandbox.shoprocket import serve as other_apis

DEFAULT_PORT = 8787
DEFAULT_DB = Path(".catalogctl") / "sandbox.sqlite"  # the embedded default target's store
_LOOPBACK = ("127.0.0.1", "::1", "localhost")
TOKEN_ENV = "CATALOGCTL_SANDBOX_AUTH_TOKEN"
KEY_ENV = "CATALOGCTL_SANDBOX_API_KEY"


@click.group(name="sandbox")
def command() -> None:
    """The sandbox: an emulator of the GrooveKart vendor API, stored in SQLite."""


def _target_snippet(url: str, credentials: Credentials) -> str:
    """A catalogctl.yaml entry for this store (secrets by environment variable name, never inline)."""
    entry = f'provider: sandbox, url: "{url}"'
    if credentials != DEFAULT_CREDENTIALS:
        entry += (f', api_user: "{credentials.api_user}", auth_token_env: {TOKEN_ENV}, api_key_env: {KEY_ENV}')
    return f"targets: {{local: {{{entry}}}}}   (catalogctl.yaml)"


def _faults(**flags: object) -> FaultConfig:
    try:
        return FaultConfig.model_validate({k: v for k, v in flags.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"--{'-'.join(map(str, e['loc'])).replace('_', '-')}: {e['msg']}" for e in exc.errors())
        raise click.UsageError(problems) from exc


@command.command(name="serve")
@click.option("--api", type=click.Choice(["groovekart", *other_apis.APIS]), default="groovekart", show_default=True,
              help="Which store API to emulate.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="0 = any free port.")
@click.option("--db", "db_path", default=str(DEFAULT_DB), show_default=True, type=click.Path(dir_okay=False),
              help="SQLite file holding the store (created if missing).")
@click.option("--auth-token", default=DEFAULT_CREDENTIALS.auth_token, show_default=True,
              envvar=TOKEN_ENV, help="The auth_token the store accepts.")
@click.option("--api-key", default=DEFAULT_CREDENTIALS.api_key, show_default=True, envvar=KEY_ENV,
              help="The api_key the store accepts (--api shoprocket: sr_auth; shoplazza: access-token).")
@click.option("--api-user", default=DEFAULT_CREDENTIALS.api_user, show_default=True, help="The vendor app name.")
@click.option("--latency-ms", type=int, help="Fixed delay before every request (its round trip with the next flag).")
@click.option("--latency-jitter-ms", type=int, help="Random extra delay, up to N ms.")
@click.option("--latency-includes-work", is_flag=True, default=None,
              help="The latency is the round trip: the store's work first, answered N ms after taking it up.")
@click.option("--error-rate", type=float, help="Share of requests answered HTTP 500 (0..1).")
@click.option("--rate-limit", type=int, help="Every Nth request is answered 429.")
@click.option("--rate-limit-rps", type=float, help="Requests beyond this rate per second are answered 429.")
@click.option("--retry-after-s", type=int, help="Retry-After seconds sent with a 429 (default 1).")
@click.option("--drop-rate", type=float, help="Share of requests whose connection is dropped (0..1).")
@click.option("--fail-nth-mutating", type=int, help="The Nth mutating request fails with 500 before writing.")
@click.option("--fail-after-commit-nth", type=int, help="The Nth mutating request commits, then its answer is lost.")
@click.option("--after-commit", type=click.Choice(["drop", "error"]), help="How the after-commit fault fails.")
@click.option("--late-commit-nth", type=int, help="The Nth create loses its answer; its write lands later.")
@click.option("--late-commit-rate", type=float, help="Share of creates whose answer is lost and write lands later.")
@click.option("--late-commit-ms", type=int, help="How long after the lost answer a late create lands (default 500).")
@click.option("--seed", type=int, help="Seed for the random faults.")
@handle_errors
def serve(
    api: str, host: str, port: int, db_path: str, auth_token: str, api_key: str, api_user: str, **fault_flags: object
) -> None:
    """Serve a sandbox store over HTTP until Ctrl-C; prints the url and the credentials to use."""
    faults = _faults(**fault_flags)
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise CatalogError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}", hint=_bind_hint(exc)) from exc
    if api != "groovekart":
        path = other_apis.default_db(api) if db_path == str(DEFAULT_DB) else Path(db_path)
        return other_apis.run(api, sock, path, api_key, faults)
    try:
        app = create_app(Path(db_path), Credentials(auth_token, api_key, api_user), faults)
    except (sqlite3.Error, OSError) as exc:
        sock.close()
        raise CatalogError(f"Cannot open the sandbox store {db_path}: {exc}",
                           hint="Give another --db file; a new file is created and set up.") from exc
    url = base_url(sock)
    click.echo(f"GrooveKart sandbox listening on {url}  (store: {db_path})")
    click.echo(f"  endpoints:  POST {url}/api/<endpoint>.json   admin: {url}/__sandbox/stats, /__sandbox/faults")
    click.echo(f"  auth_token: {auth_token}\n  api_key:    {api_key}\n  api_user:   {api_user}")
    click.echo(f"  target:     {_target_snippet(url, Credentials(auth_token, api_key, api_user))}")
    if faults.active():
        click.echo(f"  faults:     {faults.model_dump(exclude_defaults=True)}")
    if host not in _LOOPBACK:
        click.echo(f"Warning: {host} is not loopback: anyone who reaches it can read and change this store.", err=True)
    click.echo("Press Ctrl-C to stop.")
    serve_forever(app, sock)


def _bind_hint(exc: OSError) -> str:
    """A port in use wants another port; an unknown or foreign address wants another --host."""
    if exc.errno in (errno.EADDRINUSE, errno.EACCES):
        return "Pick another --port, or 0 for any free port."
    return "Give --host an address of this machine, such as 127.0.0.1 (the default) or 0.0.0.0."
