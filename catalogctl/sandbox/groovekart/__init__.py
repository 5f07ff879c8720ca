"""The GrooveKart vendor API emulator: `POST /api/<endpoint>.json`, stored in SQLite."""

from catalogctl.sandbox.groovekart.app import create_app
from catalogctl.sandbox.groovekart.credentials import DEFAULT_CREDENTIALS, Credentials

__all__ = ["DEFAULT_CREDENTIALS", "Credentials", "create_app"]
