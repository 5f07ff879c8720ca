"""Carrying out Shoprocket's two calls without ever making a duplicate.

The API is create-only with no read, so the natural keys do the work: a create refused because
the subdomain or email is taken means "already exists": recorded as existing, never retried,
never an error. 429 and 503 (nothing was done) and 500 (a repeat is safe: the key makes a second
create a refusal) are retried. A create whose answer was lost is not repeated: there is nothing
to look it up with, so the error says what to check.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from catalogctl.core import StepResult
from catalogctl.errors import TargetError
from catalogctl.http import HttpClient, ProviderError, TransportError
from catalogctl.providers.shoprocket import wire
from catalogctl.providers.shoprocket.actions import CreateStore, CreateUser
from catalogctl.providers.shoprocket.dialect import ShoprocketDialect

log = logging.getLogger("catalogctl.providers.shoprocket")
RETRIED_STATUSES = (500, 503)
MAX_ATTEMPTS = 4


class AlreadyExists(Exception):
    """The create was refused because its natural key is taken."""


async def create(http: HttpClient, path: str, label: str, body: Mapping[str, Any], key_field: str) -> Any:
    """POST a create; the answer, or AlreadyExists when Shoprocket says the key is taken."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await http.send("POST", path, label=label, body=body, idempotent=False)
        except TransportError as exc:
            if exc.unsent:
                raise
            raise lost_answer(exc, label, key_field, body.get(key_field)) from None
        except ProviderError as exc:
            if is_taken(exc, key_field):
                raise AlreadyExists(str(body.get(key_field))) from None
            if exc.status not in RETRIED_STATUSES or attempt == MAX_ATTEMPTS:
                raise
            delay = http.settings.backoff * 2 ** (attempt - 1)
            log.info("retrying %s in %.2fs after HTTP %s", label, delay, exc.status)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


def is_taken(exc: ProviderError, key_field: str) -> bool:
    """A 400 whose words say the key is taken ("The subdomain has already been taken.")."""
    said = exc.store_message.lower()
    return exc.status == 400 and key_field in said and ("taken" in said or "already exists" in said)


def lost_answer(exc: ProviderError, label: str, key_field: str, key: Any) -> ProviderError:
    """The error for a create whose answer never came: what happened, what to check, that a rerun is safe."""
    what = "store" if key_field == "subdomain" else "user"
    return ProviderError(
        label,
        f"{exc.store_message.rstrip('.')}; the answer was lost, so the {what} may or may not have been created. "
        f"Shoprocket has no API to look it up: check the Shoprocket dashboard for the {what} with {key_field} {key}. "
        f"Running apply again is safe: if it exists, Shoprocket refuses the create as taken and catalogctl records "
        f"it as existing, never a duplicate",
        request=exc.request, vendor="Shoprocket",
    )


async def create_store(http: HttpClient, action: CreateStore) -> StepResult:
    address = wire.store_address(action.subdomain)
    key = wire.store_fact_key(action.subdomain)
    try:
        answer = await create(http, "/v1/stores", "stores.create", action.params, "subdomain")
    except AlreadyExists:
        log.warning("store %s already exists in Shoprocket: recorded as existing, not changed", action.subdomain)
        return StepResult(facts={key: wire.EXISTING}, requests=1)
    record = wire.store_record(answer, action.params)
    return StepResult(ids={address: record["id"]} if record["id"] else {}, facts={key: record}, requests=1)


async def create_user(http: HttpClient, dialect: ShoprocketDialect, action: CreateUser,
                      environ: Mapping[str, str]) -> StepResult:
    password = environ.get(action.password_env, "")
    if not password:
        raise TargetError(f"staff user {action.email}: environment variable {action.password_env} is not set "
                          "(password_env in the catalog's staff section)",
                          hint=f"export {action.password_env}=... (the initial password); it never goes in a file.")
    dialect.add_secret(password)
    attrs = {"email": action.email, "first_name": action.first_name, "last_name": action.last_name,
             "phone_number": action.phone_number}
    key = wire.user_fact_key(action.email)
    try:
        answer = await create(http, "/v1/user", "user.create", wire.user_body(attrs, password), "email")
    except AlreadyExists:
        log.warning("user %s already exists in Shoprocket: recorded as existing, not changed", action.email)
        return StepResult(facts={key: wire.EXISTING}, requests=1)
    record = wire.user_record(answer)
    address = wire.user_address(action.email)
    return StepResult(ids={address: record["id"]} if record["id"] else {}, facts={key: record}, requests=1)


__all__ = ["AlreadyExists", "create_store", "create_user", "is_taken"]
