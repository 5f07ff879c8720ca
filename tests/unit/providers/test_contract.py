"""The provider contract: the registry, plan files that name their provider, check-only kinds
(preconditions), create-only kinds with the provider's own reason, sections a provider does
not manage, and the HTTP layer configured by a header dialect."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any, ClassVar

import httpx
import pytest

from catalogctl.apply.run import check_safety
from catalogctl.config.models import Catalog
from catalogctl.core import DeleteMode, KindCapabilities, LiveState
from catalogctl.errors import PlanError, TargetError
from catalogctl.http import Dialect, HttpClient, ProviderError, StoreFailure
from catalogctl.model.address import Address, Kind
from catalogctl.model.resource import Resource
from catalogctl.plan.builder import PlanPolicy, build_plan
from catalogctl.plan.model import FORMAT_VERSION, ChangeAction, Plan
from catalogctl.providers.groovekart import PROVIDER
from catalogctl.providers.registry import get_provider, providers
from catalogctl.session import unmanaged_sections

SHOP = Address(Kind.STORE, "inkwell")


def _spec(caps: KindCapabilities) -> Any:
    """A provider managing only `store`, with no steps of its own (enough to plan)."""
    return replace(PROVIDER, name="test", capabilities={Kind.STORE: caps}, build_steps=lambda *_: [])


def _store(**attrs: Any) -> Resource:
    return Resource(SHOP, {"subdomain": "inkwell", **attrs})


def test_the_registry_finds_providers_and_aliases_and_names_the_known_ones() -> None:
    assert get_provider("groovekart") is PROVIDER and get_provider("sandbox") is PROVIDER
    assert set(providers()) >= {"groovekart", "sandbox"}
    with pytest.raises(TargetError, match=r"unknown provider 'shopify' \(known: .*groovekart"):
        get_provider("shopify")


def test_a_plan_names_its_provider_and_reads_back_with_its_action_types() -> None:
    plan = build_plan({Address.category("Hats"): Resource(Address.category("Hats"), {"title": "Hats"})},
                      LiveState({}), PROVIDER, PlanPolicy("t"))
    assert plan.provider == "groovekart" and plan.format_version == FORMAT_VERSION == 2
    again = Plan.from_json(plan.to_json())
    assert again == plan and type(again.steps[0].action) is type(plan.steps[0].action)


@pytest.mark.parametrize(("change", "message"), [
    ({"format_version": 1}, "this plan has format_version 1; this catalogctl reads 2"),
    ({"provider": "shopify"}, "this plan is for unknown provider 'shopify'"),
])
def test_old_or_foreign_plan_files_are_refused_clearly(change: dict[str, Any], message: str) -> None:
    document = json.loads(build_plan({}, LiveState({}), PROVIDER, PlanPolicy("t")).to_json()) | change
    with pytest.raises(PlanError) as caught:
        Plan.from_json(json.dumps(document))
    assert str(caught.value).startswith(message)


def test_check_only_facts_are_preconditions_and_apply_refuses_a_mismatch_even_forced() -> None:
    spec = _spec(KindCapabilities(create=False, delete=DeleteMode.NONE, check_only=True))
    desired = {SHOP: _store(currency="USD", timezone="America/Chicago")}
    plan = build_plan(desired, LiveState({SHOP: _store(currency="EUR", timezone="America/Chicago")}), spec,
                      PlanPolicy("t"))
    assert plan.changes == () and plan.steps == ()
    assert [(p.name, p.ok) for p in plan.preconditions] == [("currency", False), ("timezone", True)]
    assert any("precondition FAILED" in w and "'USD'" in w and "'EUR'" in w for w in plan.warnings)
    with pytest.raises(PlanError, match=r"store\[\"inkwell\"\] currency is 'EUR', not 'USD'"):
        check_safety(plan, force=True)
    matching = build_plan(desired, LiveState({SHOP: _store(currency="USD", timezone="America/Chicago")}), spec,
                          PlanPolicy("t"))
    assert matching.failed_preconditions == () and not matching.warnings
    check_safety(matching, force=False)


def test_an_unreadable_check_only_target_fails_every_stated_fact() -> None:
    spec = _spec(KindCapabilities(create=False, delete=DeleteMode.NONE, check_only=True))
    plan = build_plan({SHOP: _store(currency="USD")}, LiveState({}), spec, PlanPolicy("t"))
    assert plan.preconditions and not any(p.ok for p in plan.preconditions)


def test_a_create_only_kind_says_the_providers_reason_for_what_it_cannot_change() -> None:
    why = "Shoprocket's API cannot update a store; change it in the dashboard"
    spec = _spec(KindCapabilities(create=True, delete=DeleteMode.NONE, unsupported_reason=why))
    plan = build_plan({SHOP: _store(store_name="New")}, LiveState({SHOP: _store(store_name="Old")}), spec,
                      PlanPolicy("t"))
    (change,) = plan.changes
    assert change.action is ChangeAction.UNSUPPORTED and change.reasons == {"store_name": why}
    assert build_plan({SHOP: _store()}, LiveState({}), spec, PlanPolicy("t")).changes[0].action is ChangeAction.CREATE


def test_sections_a_provider_does_not_manage_are_one_note_each_and_live_notes_join_them() -> None:
    catalog = Catalog.model_validate({"store": {"name": "Inkwell"}, "categories": [{"title": "Hats"}]})
    notes = unmanaged_sections(catalog, PROVIDER)
    assert notes == ("section `store` is unsupported for provider groovekart: not planned",)
    only_store = replace(PROVIDER, sections=frozenset({"store"}))
    assert unmanaged_sections(catalog, only_store) == (
        "section `categories` (1) is unsupported for provider groovekart: not planned",)
    plan = build_plan({}, LiveState({}, notes=("no record to compare with",)), PROVIDER, PlanPolicy("t"), notes)
    assert plan.notes == (*notes, "no record to compare with")


class _HeaderDialect(Dialect):
    """Shoplazza-like: a credential header, `{"errors": [...]}` bodies, a Request-Id header."""

    vendor: ClassVar[str] = "Testshop"
    request_id_header: ClassVar[str | None] = "Request-Id"

    @property
    def secrets(self) -> tuple[str, ...]:
        return ("tok-SECRET",)

    def headers(self) -> dict[str, str]:
        return {"access-token": "tok-SECRET"}

    def failure(self, status: int, data: Any) -> StoreFailure | None:
        if isinstance(data, dict) and data.get("errors"):
            return StoreFailure("; ".join(map(str, data["errors"])), auth=status == 401)
        return None


def test_the_http_layer_puts_credentials_where_the_dialect_says_and_keeps_the_request_id() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.params.get("fields") == "bad":
            return httpx.Response(400, json={"errors": ["bad field tok-SECRET"]}, headers={"Request-Id": "r-42"})
        return httpx.Response(200, json={"shop": {"id": 1}})

    async def scenario() -> tuple[Any, ProviderError]:
        async with HttpClient("https://shop.example", _HeaderDialect(),
                              transport=httpx.MockTransport(handler)) as client:
            ok = await client.send("GET", "/openapi/2022-01/shop", label="GET shop", idempotent=True,
                                   params={"fields": "id"})
            with pytest.raises(ProviderError) as caught:
                await client.send("GET", "/openapi/2022-01/shop", label="GET shop", idempotent=True,
                                  params={"fields": "bad"})
            return ok, caught.value

    ok, error = asyncio.run(scenario())
    assert ok == {"shop": {"id": 1}}
    assert seen[0].headers["access-token"] == "tok-SECRET" and seen[0].content == b""
    assert str(error).startswith("Testshop call GET shop failed (HTTP 400) [Request-Id r-42]: bad field ***")
    assert error.request_id == "r-42" and "SECRET" not in str(error) and len(seen) == 2  # a 400 is not retried
