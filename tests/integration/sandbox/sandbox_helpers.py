"""Helpers for the sandbox tests: a client for a running store, and the doc's request examples."""

from __future__ import annotations

import copy
import json
import re
import socket
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from catalogctl.sandbox import DEFAULT_CREDENTIALS

AUTH = {
    "auth_token": DEFAULT_CREDENTIALS.auth_token,
    "api_key": DEFAULT_CREDENTIALS.api_key,
    "api_user": DEFAULT_CREDENTIALS.api_user,
}


JSON_HEADERS = {"content-type": "application/json"}
_RAW = re.compile(r'"@raw@([^"]*)@"')


def encode(payload: Any) -> bytes:
    """JSON with Decimal values written as raw JSON numbers (1e999 is a valid JSON number, not a float)."""
    text = json.dumps(payload, default=lambda value: f"@raw@{value}@" if isinstance(value, Decimal) else None)
    return _RAW.sub(r"\1", text).encode()


@dataclass
class Sandbox:
    """A running sandbox store and an HTTP client pointed at it."""

    url: str
    http: httpx.Client
    db_path: Path

    def post(self, endpoint: str, **fields: Any) -> httpx.Response:
        body = encode({**AUTH, **fields})
        return self.http.post(f"{self.url}/api/{endpoint}.json", content=body, headers=JSON_HEADERS)

    def call(self, endpoint: str, **fields: Any) -> Any:
        """POST with credentials; asserts HTTP 200 and returns the JSON answer."""
        response = self.post(endpoint, **fields)
        assert response.status_code == 200, response.text
        return response.json()

    def stats(self) -> dict[str, Any]:
        return self.http.get(f"{self.url}/__sandbox/stats").json()

    def set_faults(self, **config: Any) -> httpx.Response:
        return self.http.post(f"{self.url}/__sandbox/faults", json=config)


def new_product(title: str, price: Any = 1, **fields: Any) -> dict[str, Any]:
    """A product create body with every field the document requires (title, price, compare price, visibility)."""
    return {"title": title, "price": price, "compare_default_price": 0, "visibility": "both", **fields}


def doc_create_product(category_id: int) -> dict[str, Any]:
    """The product create example of the doc, verbatim except for the category id."""
    product = copy.deepcopy(DOC_PRODUCT)
    product["category_id"] = category_id
    return product


def _variant(values: dict[str, tuple[str, str]], colors: dict[str, str], prices: tuple[str, str], sku: str,
             weight: str, default_on: int) -> dict[str, Any]:
    variant_values: dict[str, Any] = {}
    for group, (group_type, name) in values.items():
        entry = {"variant_group_type": group_type, "variant_name": name}
        if group in colors:
            entry["color"] = colors[group]
        variant_values[group] = entry
    return {"variant_values": variant_values, "compare_at_price": prices[0], "price": prices[1], "sku": sku,
            "weight": weight, "weight_unit": "lb", "default_on": default_on}


DOC_PRODUCT: dict[str, Any] = {
    "title": "API Test Product",
    "description": "This is product description for Blue tshirt.",
    "short_description": "product short description.",
    "vendor": "",
    "category_id": 25,
    "compare_default_price": 100,
    "price": 80,
    "image": {"src": "http://pluspng.com/img-png/tshirt-png-black-t-shirt-png-transparent-image-2611.png",
              "position": 0},
    "sku": "",
    "weight": 0,
    "visibility": "both",
    "tags": "tag1, tag2, tag3, tag4",
    "variant_groups": [
        {"name": "Cloth", "group_type": "select"},
        {"name": "Style", "group_type": "select"},
        {"name": "Color", "group_type": "color"},
        {"name": "Size", "group_type": "select"},
    ],
    "variants": [
        _variant({"Color": ("color", "Blue"), "Style": ("select", "Tab Collar"), "Size": ("select", "L"),
                  "Cloth": ("select", "Cotton")}, {"Color": "#0000FF"}, ("31.99", "27.99"), "TS.12345678", "0.37", 1),
        _variant({"Color": ("color", "Lime"), "Style": ("select", "Classic Collar"), "Size": ("select", "XL"),
                  "Type": ("select", "Cotton")}, {"Color": "#00FF00"}, ("32.99", "28.99"), "TS.12345679", "0.43", 0),
        _variant({"Color": ("color", "Blue"), "Style": ("select", "Tab Collar"), "Size": ("select", "L"),
                  "Cloth": ("select", "Lenin")}, {"Color": "#0000FF"}, ("31.99", "27.99"), "TS.12345680", "0.37", 0),
        _variant({"Color": ("color", "Lime"), "Style": ("select", "Classic Collar"), "Size": ("select", "XL"),
                  "Type": ("select", "Lenin")}, {"Color": "#00FF00"}, ("32.99", "28.99"), "TS.12345681", "0.43", 0),
    ],
}

# Field names, in the doc's order, of each read shape.
LIST_PRODUCT_KEYS = [
    "id", "id_manufacturer", "id_category_default", "price", "compare_default_price", "status",
    "available_for_order", "visibility", "date_add", "date_upd", "description", "link_rewrite", "meta_title",
    "product_title", "product_url", "manufacturer_name", "vendor", "sku", "weight", "tags", "cover_image",
    "images", "variants",
]
DETAILS_PRODUCT_KEYS = [
    "id_category_default", "title", "description", "price", "compare_default_price", "weight",
    "manufacturer_name", "vendor", "sku", "status", "available_for_order", "visibility", "date_add", "date_upd",
    "link_rewrite", "meta_title", "product_url", "cover_image", "images", "tags", "variants",
]
LIST_ROW_KEYS = [
    "id_product_variant", "group_name", "id_variant_group", "variant_name", "reference", "price",
    "compare_price", "quantity", "weight", "default_on",
]
DETAILS_ROW_KEYS = [
    "id_product_attribute", "group_name", "attribute_name", "reference", "price", "compare_price", "quantity",
    "weight", "image",
]


def create_doc_product(sandbox: Sandbox) -> dict[str, Any]:
    """Create the doc's category and product; answers the create answer."""
    categories = sandbox.call("create_categories", category={"title": "Best deals"})["categories"]
    return sandbox.call("products", product=doc_create_product(int(categories[0]["id"])))


def six_decimals(value: Any) -> bool:
    return isinstance(value, str) and len(value.split(".")[-1]) == 6 and "." in value


def two_decimals(value: Any) -> bool:
    return isinstance(value, str) and "." in value and len(value.split(".")[-1]) == 2


def raw_request(url: str, headers: list[str], first_body_bytes: bytes, method: str = "POST",
                path: str = "/api/products.json") -> bytes:
    """Send a request head and the start of a body, then read what the server answers (it must not wait)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        head = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", "Content-Type: application/json", *headers]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + first_body_bytes)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer
