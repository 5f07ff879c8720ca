"""The GrooveKart provider: the catalog (categories, variant groups, products, variants, images,
webhooks) over GrooveKart's vendor API. `PROVIDER` is what the registry lists."""

from catalogctl.providers.base import ProviderSpec
from catalogctl.providers.groovekart.actions import ACTION_ADAPTER
from catalogctl.providers.groovekart.capabilities import CAPABILITIES, SECTIONS
from catalogctl.providers.groovekart.connect import connect, sandbox_app
from catalogctl.providers.groovekart.credentials import GrooveKartCredentials
from catalogctl.providers.groovekart.provider import GrooveKartProvider
from catalogctl.providers.groovekart.settings import GrooveKartSettings
from catalogctl.providers.groovekart.steps import build_steps

PROVIDER = ProviderSpec(
    name="groovekart",
    title="GrooveKart",
    settings=GrooveKartSettings,
    capabilities=CAPABILITIES,
    sections=SECTIONS,
    actions=ACTION_ADAPTER,
    build_steps=build_steps,
    connect=connect,
    sandbox_app=sandbox_app,
    aliases=("sandbox",),
)

__all__ = ["CAPABILITIES", "PROVIDER", "GrooveKartCredentials", "GrooveKartProvider", "GrooveKartSettings"]
