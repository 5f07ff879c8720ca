"""A create_product request made ahead: its body and bytes built while the walk waits for answers.

Between a step's answer and the next step's request its slot idles while the walk settles the one and
starts the other; building and encoding the next create's ~3 KB body was a sixth of that time (issue
13). The walk asks for the next ready step's request while every slot waits (Provider.prepare); the
step uses it only when made of what the step itself would make it of: the same action, and the same
category id, the one input the registry can change meanwhile. The body is a function of those alone
(product_body), and its bytes are HttpClient.encode's of it, so the request is the same byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalogctl.core import IdRegistry
from catalogctl.model.address import Kind, child
from catalogctl.providers.groovekart.actions import Action, CreateProduct
from catalogctl.providers.groovekart.dialect import GrooveKartClient
from catalogctl.providers.groovekart.execute.products import product_body


@dataclass(frozen=True, slots=True)
class Ahead:
    """What the create of `action` sends when its category's id is `category_id`."""

    action: CreateProduct
    category_id: str | None
    body: dict[str, Any]
    content: bytes | None


def make_ahead(client: GrooveKartClient, action: Action, ids: IdRegistry) -> Ahead | None:
    """The create request of `action` as its step would build it now; None for another action, or a
    category whose id the step must read from the store first."""
    if type(action) is not CreateProduct:
        return None
    fields = action.__dict__   # without the pydantic model's __getattr__ hook (see variant_bodies)
    spec = fields["product"]
    title = spec.__dict__["category"]
    category_id = None
    if title is not None:
        category_id = ids.get(child(Kind.CATEGORY, title, None))   # as _create's step.known, on a new step
        if not category_id:
            return None
    body = {"product": product_body(spec, fields["groups"], fields["variants"], fields["cover"], category_id)}
    return Ahead(action, category_id, body, client.http.encode(body))
