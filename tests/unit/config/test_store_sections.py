"""The `store` and `staff` sections: Shoprocket settings and Shoplazza facts, each bad value at its file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogctl.config import check_catalog, load_catalog

GOOD = """\
store:
  name: Shoprocket Demo Store
  registered_name: Shoprocket
  country: US
  address: {line1: "St. Lewis #2222", city: Los Angeles, zipcode: "090001"}
  subdomain: demo-store
  staff_emails: [ops@example.com, owner@example.com]
  order_id_prefix: "SR-"
  weight_unit: kg
  dimensions_unit: cm
  tracking: {ga_code: UA-12345-1}
  privacy_policy_url: https://example.com/privacy
  currency: USD
  locale: en-US
  timezone: "+0800"
  domain: demo.myshoplaza.com
  email: owner@example.com
staff:
  - {email: ana@example.com, first_name: Ana, last_name: Lima, phone: "+5511999990000", password_env: ANA_PASSWORD}
  - {email: bo@example.com, password_env: BO_PASSWORD}
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "store.yaml").write_text(text, encoding="utf-8")
    return [f"{p.position.line}: {p.message}" if p.position else p.message for p in check_catalog(tmp_path).problems]


def test_a_full_store_and_staff_load_as_written(tmp_path: Path) -> None:
    (tmp_path / "store.yaml").write_text(GOOD, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert catalog.store is not None and catalog.store.address is not None
    assert catalog.store.address.zipcode == "090001"  # kept as written, leading zero and all
    assert catalog.store.subdomain == "demo-store" and catalog.store.country == "US"
    assert [member.password_env for member in catalog.staff] == ["ANA_PASSWORD", "BO_PASSWORD"]
    assert catalog.staff[0].phone == "+5511999990000"


@pytest.mark.parametrize(("line", "bad", "expected"), [
    (6, "  subdomain: Demo_Store", "6: subdomain must be one host name label"),
    (4, "  country: USA", "4: country must be a two-letter ISO country code in capitals"),
    (4, "  country: us", "4: country must be a two-letter ISO country code in capitals"),
    (7, "  staff_emails: [ops@example.com, not-an-email]", "7: staff_emails[1] is not an email address"),
    (9, "  weight_unit: kgs", "9: weight_unit"),
    (10, "  dimensions_unit: ft", "10: dimensions_unit"),
    (12, "  privacy_policy_url: example.com/privacy", "12: privacy_policy_url must be an http:// or https:// url"),
    (13, "  currency: usd", "13: currency must be a three-letter ISO 4217 code"),
    (17, "  email: owner", "17: email is not an email address"),
])
def test_a_bad_store_value_is_reported_at_its_line(tmp_path: Path, line: int, bad: str, expected: str) -> None:
    lines = GOOD.splitlines()
    lines[line - 1] = bad
    problems = _problems(tmp_path, "\n".join(lines) + "\n")
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_an_address_without_its_city_names_the_field(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "store:\n  address:\n    line1: Main St 1\n    zipcode: '1000'\n")
    assert problems == ["3: address is missing the required field 'city'"]


def test_an_unknown_store_key_is_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "store:\n  name: Shop\n  store_name: Shop\n")
    assert len(problems) == 1 and problems[0].startswith("3:") and "store_name" in problems[0]


@pytest.mark.parametrize(("member", "expected"), [
    ("{email: ana@example.com, password: hunter2, password_env: X}", "password"),
    ("{email: ana@example.com}", "password_env"),
    ("{email: ana@example.com, password_env: 'ANA PASSWORD'}", "must be the name of an environment variable"),
    ("{email: ana@example.com, password_env: X, phone: '+55 11 9999'}", "must be 6 to 15 digits"),
    ("{email: ana, password_env: X}", "is not an email address"),
])
def test_a_bad_staff_member_is_reported_at_its_line(tmp_path: Path, member: str, expected: str) -> None:
    problems = _problems(tmp_path, f"staff:\n  - {{email: ok@example.com, password_env: OK}}\n  - {member}\n")
    assert len(problems) == 1 and problems[0].startswith("3:") and expected in problems[0], problems
