"""The Shoplazza document's example request and answers, replayed against the sandbox."""

from __future__ import annotations

import pytest
from shoplazza_kit import HEADERS, Shoplazza, doc


def test_the_example_request_answers_the_documented_shape(shoplazza: Shoplazza) -> None:
    example = doc("shop_request")
    response = shoplazza.http.get(f"{shoplazza.url}{example['path']}?{example['query']}",
                                  headers={**example["headers"], **HEADERS})  # the sandbox's token, + Content-Type
    assert response.status_code == 200
    assert response.json() == {"shop": {"id": doc("shop_answer")["shop"]["id"]}}
    assert response.headers["request-id"]


def test_the_verbatim_example_lacks_the_required_content_type(shoplazza: Shoplazza) -> None:
    example = doc("shop_request")
    headers = {**example["headers"], "access-token": HEADERS["access-token"]}
    response = shoplazza.http.get(f"{shoplazza.url}{example['path']}?{example['query']}", headers=headers)
    assert response.status_code == 400 and response.json() == {"errors": ["Bad Request"]}


def test_all_fields_answer_the_documented_success_example(shoplazza: Shoplazza) -> None:
    response = shoplazza.get()
    assert response.status_code == 200
    assert response.json() == doc("shop_answer")


def test_the_documented_errors_example_no_context(shoplazza: Shoplazza) -> None:
    shoplazza.force(520)
    response = shoplazza.get("id")
    assert response.status_code == 520 and response.json() == doc("error_answers")[0]
    assert response.headers["request-id"]


def test_the_documented_error_example_store_is_not_active(shoplazza: Shoplazza) -> None:
    shoplazza.set_shop(state="closed")
    response = shoplazza.get("id")
    assert response.status_code == 404 and response.json() == doc("error_answers")[1]


@pytest.mark.parametrize("fields", ["id,name,email", "currency,primary_locale,timezone,country_code,domain",
                                    "icon", "name"])
def test_fields_selects_exactly_what_was_asked(shoplazza: Shoplazza, fields: str) -> None:
    shop = shoplazza.get(fields).json()["shop"]
    documented = doc("shop_answer")["shop"]
    assert shop == {name: documented[name] for name in fields.split(",")}
