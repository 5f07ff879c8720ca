"""Carrying out one Action: a `match` over the Action union, one small function per Op."""

from __future__ import annotations

from catalogctl.core import IdRegistry, StepResult
from catalogctl.errors import InternalError
from catalogctl.providers.groovekart.actions import (
    Action,
    AddImage,
    AddVariants,
    CreateCategories,
    CreateProduct,
    CreateVariantGroups,
    CreateWebhooks,
    DeleteWebhook,
    RecreateVariants,
    ReplaceImage,
    ReplaceProduct,
    SetProductStatus,
    SetTags,
    SetVariantImages,
    UpdateProduct,
    UpdateVariants,
    UpdateWebhook,
)
from catalogctl.providers.groovekart.dialect import GrooveKartClient
from catalogctl.providers.groovekart.execute import catalog as ops_catalog
from catalogctl.providers.groovekart.execute import products as ops_products
from catalogctl.providers.groovekart.execute import variants as ops_variants
from catalogctl.providers.groovekart.execute.ahead import Ahead
from catalogctl.providers.groovekart.execute.context import Step


async def execute(client: GrooveKartClient, action: Action, ids: IdRegistry, ahead: Ahead | None = None) -> StepResult:
    """Issue the documented call(s) for `action`; the result carries new ids, facts and the request count.
    `ahead`: `action`'s create request made ahead (ahead.py)."""
    step = Step(client, ids, ahead=ahead)
    match action:
        case CreateCategories():
            await ops_catalog.create_categories(step, action)
        case CreateVariantGroups():
            await ops_catalog.create_variant_groups(step, action)
        case CreateProduct():
            await ops_products.create_product(step, action)
        case ReplaceProduct():
            await ops_products.replace_product(step, action)
        case UpdateProduct():
            await ops_products.update_product(step, action)
        case SetProductStatus():
            await ops_products.set_product_status(step, action)
        case SetTags():
            await ops_products.set_tags(step, action)
        case AddImage():
            await ops_products.add_image(step, action)
        case ReplaceImage():
            await ops_products.replace_image(step, action)
        case AddVariants():
            await ops_variants.add_variants(step, action)
        case UpdateVariants():
            await ops_variants.update_variants(step, action)
        case RecreateVariants():
            await ops_variants.recreate_variants(step, action)
        case SetVariantImages():
            await ops_variants.set_variant_images(step, action)
        case CreateWebhooks():
            await ops_catalog.create_webhooks(step, action)
        case UpdateWebhook():
            await ops_catalog.update_webhook(step, action)
        case DeleteWebhook():
            await ops_catalog.delete_webhook(step, action)
        case _:
            raise InternalError(f"the GrooveKart provider has no handler for {action!r}")
    return step.result()
