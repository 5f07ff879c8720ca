"""Top-level actions: categories and variant groups (create only, batched) and webhooks."""

from __future__ import annotations

from catalogctl.http.errors import ProviderError
from catalogctl.model.address import Address
from catalogctl.providers.groovekart import read, wire
from catalogctl.providers.groovekart.actions import (
    CreateCategories,
    CreateVariantGroups,
    CreateWebhooks,
    DeleteWebhook,
    GroupSpec,
    UpdateWebhook,
    WebhookSpec,
)
from catalogctl.providers.groovekart.execute.context import Step, create_once


async def create_categories(step: Step, action: CreateCategories) -> None:
    """One call for all titles; the answer lists every category, so ids come back at once."""
    pending = list(dict.fromkeys(action.titles))

    async def create() -> list[wire.WireCategory]:
        body = {"category": [{"title": title} for title in pending]}
        return wire.categories(await step.call("create_categories", body, idempotent=False))

    async def lookup() -> list[wire.WireCategory] | None:
        existing = await read.list_categories(step.client)
        titles = {c.title for c in existing}
        pending[:] = [title for title in pending if title not in titles]
        return existing if not pending else None

    listed = await create_once(step, create, lookup, "create categories",
                               addresses=[Address.category(t) for t in pending], key="title=" + ", ".join(pending))
    by_title = {c.title: c.id for c in sorted(listed, key=lambda c: int(c.id), reverse=True)}
    for title in action.titles:
        if title not in by_title:
            raise ProviderError("create_categories.json", f"category {title!r} is missing after creating it")
        step.learn(Address.category(title), by_title[title])


async def create_groups(step: Step, groups: tuple[GroupSpec, ...], *, only_missing: bool) -> None:
    """add_variant_groups answers no ids: list the groups afterwards to learn them."""
    existing = await read.list_groups(step.client) if only_missing else []
    names = {g.name.lower() for g in existing}
    pending = [g for g in groups if g.name.lower() not in names]

    async def create() -> bool:
        body = {"action": "add_variant_groups",
                "variant_groups": [{"name": g.name, "group_type": g.type} for g in pending]}
        await step.call("variant_groups", body, idempotent=False)
        return True

    async def lookup() -> bool | None:
        have = {g.name.lower() for g in await read.list_groups(step.client)}
        pending[:] = [g for g in pending if g.name.lower() not in have]
        return True if not pending else None

    if pending:
        await create_once(step, create, lookup, "create variant groups",
                          addresses=[Address.variant_group(g.name) for g in pending],
                          key="name=" + ", ".join(g.name for g in pending))
    listed = {g.name.lower(): g for g in await read.list_groups(step.client)}
    for group in groups:
        found = listed.get(group.name.lower())
        if found is None:
            raise ProviderError("variant_groups.json", f"variant group {group.name!r} is missing after creating it")
        step.learn(Address.variant_group(group.name), found.id)


async def create_variant_groups(step: Step, action: CreateVariantGroups) -> None:
    await create_groups(step, action.groups, only_missing=False)


async def create_webhooks(step: Step, action: CreateWebhooks) -> None:
    pending: list[WebhookSpec] = list(action.webhooks)

    async def create() -> bool:
        body = {"action": "create", "webhook_data": [{"name": w.name, "endpoint": w.endpoint} for w in pending]}
        await step.call("webhooks", body, idempotent=False)
        return True

    async def lookup() -> bool | None:
        names = {w.name for w in await read.list_webhooks(step.client)}
        pending[:] = [w for w in pending if w.name not in names]
        return True if not pending else None

    await create_once(step, create, lookup, "create webhooks", addresses=[Address.webhook(w.name) for w in pending],
                      key="name=" + ", ".join(w.name for w in pending))
    listed = {w.name: w.id for w in sorted(await read.list_webhooks(step.client), key=lambda w: -int(w.id))}
    for hook in action.webhooks:
        if hook.name in listed:
            step.learn(Address.webhook(hook.name), listed[hook.name])


async def _webhook_id(step: Step, name: str) -> str:
    known = step.known(Address.webhook(name))
    if known:
        return known
    for hook in await read.list_webhooks(step.client):
        if hook.name == name:
            return hook.id
    raise ProviderError("webhooks.json action=list", f"no webhook is named {name!r}")


async def update_webhook(step: Step, action: UpdateWebhook) -> None:
    body = {"action": "update", "webhook_data": [{"id": int(await _webhook_id(step, action.name)),
                                                  "endpoint": action.endpoint}]}
    try:
        await step.call("webhooks", body, idempotent=True)
    except ProviderError as exc:
        # A repeat of an update that did land is refused as a duplicate: that is success.
        if not (exc.attempts > 1 and "already exists" in exc.store_message):
            raise


async def delete_webhook(step: Step, action: DeleteWebhook) -> None:
    body = {"action": "delete", "id": int(await _webhook_id(step, action.name))}
    try:
        await step.call("webhooks", body, idempotent=True)
    except ProviderError as exc:
        # A repeat of a delete that did land finds nothing to delete: that is success.
        if not (exc.attempts > 1 and "not found" in exc.store_message.lower()):
            raise
