"""The GrooveKart provider: a robust client, the live-state reader and the action executor."""

from catalogctl.providers.groovekart.capabilities import CAPABILITIES
from catalogctl.providers.groovekart.credentials import GrooveKartCredentials
from catalogctl.providers.groovekart.provider import GrooveKartProvider

__all__ = ["CAPABILITIES", "GrooveKartCredentials", "GrooveKartProvider"]
