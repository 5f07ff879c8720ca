"""The Shoplazza provider: check that a target is the shop the catalog is for (OpenAPI 2022-01, read-only).
`PROVIDER` is what the registry lists."""

from catalogctl.providers.base import ProviderSpec
from catalogctl.providers.shoplazza.actions import ACTION_ADAPTER
from catalogctl.providers.shoplazza.capabilities import CAPABILITIES, SECTIONS
from catalogctl.providers.shoplazza.connect import connect, sandbox_app
from catalogctl.providers.shoplazza.settings import ShoplazzaSettings
from catalogctl.providers.shoplazza.steps import build_steps
from catalogctl.providers.shoplazza.wire import desired

PROVIDER = ProviderSpec(
    name="shoplazza",
    title="Shoplazza",
    settings=ShoplazzaSettings,
    capabilities=CAPABILITIES,
    sections=SECTIONS,
    actions=ACTION_ADAPTER,
    build_steps=build_steps,
    connect=connect,
    sandbox_app=sandbox_app,
    desired=desired,
)

__all__ = ["PROVIDER"]
