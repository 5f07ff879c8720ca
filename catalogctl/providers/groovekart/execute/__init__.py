"""Carrying out GrooveKart actions: one module per family of calls, dispatched by `execute`."""

from catalogctl.providers.groovekart.execute.dispatch import execute

__all__ = ["execute"]
