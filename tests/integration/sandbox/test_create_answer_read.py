"""The sandbox's product create answer takes the create's typed read (execute/created.py, issue 13): its ids
read from the answer's bytes are what the generic parse and _created make of them."""

from __future__ import annotations

import json

from sandbox_helpers import Sandbox, doc_create_product, new_product

from catalogctl.providers.groovekart.execute.created import decode_created
from catalogctl.providers.groovekart.execute.products import _created


def test_the_create_answer_is_read_from_its_bytes(sandbox: Sandbox) -> None:
    category = int(sandbox.call("create_categories", category={"title": "Best deals"})["categories"][0]["id"])
    for product in (doc_create_product(category), new_product("Plain", 5)):
        answer = sandbox.post("products", product=product)
        assert answer.status_code == 200
        read = decode_created(answer.content)
        assert read is not None   # else every create of an apply would take the slower generic read
        assert read == _created(json.loads(answer.content))
        assert read[0] and (read[2] or not product.get("variants"))
