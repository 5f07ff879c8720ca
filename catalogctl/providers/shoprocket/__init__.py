"""The Shoprocket provider: create a store with its settings and its staff users (API v1, create-only).
`PROVIDER` is what the registry lists."""

from catalogctl.providers.base import ProviderSpec
from catalogctl.providers.shoprocket.actions import ACTION_ADAPTER
from catalogctl.providers.shoprocket.capabilities import CAPABILITIES, SECTIONS
from catalogctl.providers.shoprocket.connect import connect, sandbox_app
from catalogctl.providers.shoprocket.settings import ShoprocketSettings
from catalogctl.providers.shoprocket.steps import build_steps
from catalogctl.providers.shoprocket.wire import desired

PROVIDER = ProviderSpec(
    name="shoprocket",
    title="Shoprocket",
    settings=ShoprocketSettings,
    capabilities=CAPABILITIES,
    sections=SECTIONS,
    actions=ACTION_ADAPTER,
    build_steps=build_steps,
    connect=connect,
    sandbox_app=sandbox_app,
    desired=desired,
)

__all__ = ["PROVIDER"]
