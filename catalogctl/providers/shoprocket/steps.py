"""Shoprocket's steps: one create per new store or user. Nothing else can be carried out."""

from __future__ import annotations

from collections.abc import Sequence

from catalogctl.errors import InternalError
from catalogctl.model.address import Kind
from catalogctl.model.resource import ResourceMap
from catalogctl.plan.classify import Item
from catalogctl.plan.drafts import StepDrafts
from catalogctl.plan.model import ChangeAction, Step
from catalogctl.providers.shoprocket.actions import CreateStore, CreateUser
from catalogctl.providers.shoprocket.wire import store_body


def build_steps(items: Sequence[Item], desired: ResourceMap, live: ResourceMap) -> list[Step]:
    """A create step per created store or user, the store first; every other change is unsupported."""
    drafts = StepDrafts()
    store_step: int | None = None
    for item in sorted(items, key=lambda i: i.address.kind is not Kind.STORE):
        if item.change.action is not ChangeAction.CREATE:
            continue
        attrs = dict(desired[item.address].attrs)
        match item.address.kind:
            case Kind.STORE:
                store_step = drafts.add(CreateStore(subdomain=item.address.key, params=store_body(attrs)),
                                        [item.address])
            case Kind.STAFF_USER:
                user = CreateUser(email=attrs["email"], password_env=attrs["password_env"],
                                  first_name=attrs["first_name"] or None, last_name=attrs["last_name"] or None,
                                  phone_number=attrs["phone_number"] or None)
                drafts.add(user, [item.address], [store_step])
            case kind:
                raise InternalError(f"Shoprocket has no step for a {kind}")
    return drafts.steps()
