"""THE table: every parameter the GrooveKart vendor API document marks required, and every documented
type, option list and rule, per call, with the failure body that call documents.

Taken line by line from `seeds/groovekart-vendor-api.txt` ("Required Parameters" of each call).
Enforced by the sandbox before a handler runs (contract.refusal) and tested one row at a time
(tests/integration/sandbox/test_contract.py). Where the document is ambiguous the stricter
reading is taken; the row's `note` says which. Orders, refunds, notes, shipping and tracking are
not emulated (runtime data, not catalog), so their calls have no rows.

Where a call documents no message for a failure, its documented shape carries our message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalogctl.sandbox.groovekart.contract import PRESENT, Check, Row

C = Check
GROUP_TYPES = ("select", "radio", "color")
VISIBILITIES = ("both", "search", "none")
ORDER_BY = ("id_product", "date_add", "date_upd")
ORDER_WAY = ("ASC", "DESC")


def _error(message: str) -> dict[str, Any]:
    return {"error": message}


def _status(message: str) -> dict[str, Any]:
    return {"status": "error", "message": message}


CATEGORY_FAILED = _error("Category not created.")
CREATE_FAILED = _error("Product creation failed. Please check your data.")
IMAGE_UPLOAD_FAILED = _error("Image uploading failed.")
NO_SEARCH = _error("Product IDs or keyword not provided.")
BAD_IDS = _error("Product IDs must be comma separated numbers list.")
NOT_FOUND = _error("Product not found.")
UPDATE_FAILED = _error("failed")
UPLOAD_FAILED = _error("Failed to upload image")
IMAGE_NOT_FOUND = _error("Image not found for id ")
STATUS_FAILED = {"status": "failed", "error": "Failed to update product status.", "statusTxt": None}
TAGS_FAILED = _error("Tags supplied may exists already.")
DELETE_TAGS_FAILED = _error("Failed to delete tags.")
GROUPS_NOT_SENT = _error("Variant Groups data not sent.")
INVALID_ACTION = _error("Invalid action.")  # undocumented: an action the endpoint does not have
ADD_MISSING = _error("Product id or variants data is missing.")
ADD_FAILED = _error("Variants not added. Please check your data.")
UPDATE_MISSING = _status("Product id or variants data is missing.")
UPDATE_VARIANTS_FAILED = _status("Failed to update variants.")
NOT_PROVIDED = _status("Variant id or image id not provided.")
PRODUCT_ID_MISSING = _status("Product id is missing.")
WEBHOOK_EMPTY = _status("Webhook data was empty.")
BAD_URL = _status("Invalid endpoint URL or URL not provided in one or more webhooks")
WEBHOOK_ID_MISSING = _status("Webhook ID missing.")
WEBHOOK_DELETE_ID_MISSING = _status("Webhook ID missing")

AUTH_FAILURES = {
    "auth_token": {"Error": "Auth Token is missing."},
    "api_key": {"Error": "API Key is missing."},
    # The document lists one body per missing credential but none for api_user: the generic one.
    "api_user": {"Error": "Authentication failed. Please contact support."},
}
AUTH_FAILED = {"Error": "Authentication failed. Please contact support."}


@dataclass(frozen=True)
class _Extra:
    fields: dict[str, Any]


def _x(**fields: Any) -> _Extra:
    """Row fields beyond path, check and failure: allowed, when, note."""
    return _Extra(fields)


def _call(call: str, failure: dict[str, Any], *specs: tuple[Any, ...]) -> list[Row]:
    """The rows of one call: (path, check[, its own failure body][, _x(...)]); the call's failure by default."""
    rows: list[Row] = []
    for path, check, *rest in specs:
        body = next((item for item in rest if isinstance(item, dict)), failure)
        extra = next((item.fields for item in rest if isinstance(item, _Extra)), {})
        rows.append(Row(call, path, check, body, **extra))
    return rows


_VARIANT_VALUES = "variant_values.*"


def _new_variant_rows(prefix: str, color_rule: str, note: str) -> list[tuple[Any, ...]]:
    """A new variant, as product create and variants.json add both document it."""
    return [
        (f"{prefix}[].variant_values", C.REQUIRED),
        (f"{prefix}[].variant_values", C.OBJECT),
        (f"{prefix}[].{_VARIANT_VALUES}.variant_group_type", C.REQUIRED),
        (f"{prefix}[].{_VARIANT_VALUES}.variant_group_type", C.ONE_OF, _x(allowed=GROUP_TYPES)),
        (f"{prefix}[].{_VARIANT_VALUES}.variant_name", C.REQUIRED),
        (f"{prefix}[].{_VARIANT_VALUES}.variant_name", C.TEXT),
        (f"{prefix}[].{_VARIANT_VALUES}.{color_rule}", C.REQUIRED, _x(when=("variant_group_type", "color"), note=note)),
        (f"{prefix}[].compare_at_price", C.REQUIRED),
        (f"{prefix}[].compare_at_price", C.NUMBER),
        (f"{prefix}[].price", C.REQUIRED),
        (f"{prefix}[].price", C.NUMBER),
        (f"{prefix}[].sku", C.TEXT),
        (f"{prefix}[].weight", C.NUMBER),
        (f"{prefix}[].weight_unit", C.TEXT),
        (f"{prefix}[].default_on", C.REQUIRED),
        (f"{prefix}[].default_on", C.BOOL),
        (prefix, C.ONE_DEFAULT),
    ]


_LIST_PARAMS = [
    ("limit", C.INT, _error("limit must be a whole number (0 for all).")),
    ("offset", C.INT, _error("offset must be a whole number.")),
    ("order_by", C.ONE_OF, _error("order_by must be id_product, date_add or date_upd."), _x(allowed=ORDER_BY)),
    ("order_way", C.ONE_OF, _error("order_way must be ASC or DESC."), _x(allowed=ORDER_WAY)),
]

CALL_ROWS: list[Row] = [
    *_call("create_categories.json", CATEGORY_FAILED,
           ("category", C.REQUIRED), ("category", C.OBJECTS),
           ("category[].title", C.REQUIRED), ("category[].title", C.TEXT)),
    *_call("products.json:create", CREATE_FAILED,
           ("product", C.REQUIRED), ("product", C.OBJECT),
           ("product.title", C.REQUIRED), ("product.title", C.TEXT),
           ("product.description", C.TEXT), ("product.short_description", C.TEXT), ("product.vendor", C.TEXT),
           ("product.category_id", C.INT),
           ("product.compare_default_price", C.REQUIRED), ("product.compare_default_price", C.NUMBER),
           ("product.price", C.REQUIRED), ("product.price", C.NUMBER),
           ("product.image", C.OBJECT, IMAGE_UPLOAD_FAILED),
           ("product.image.src", C.REQUIRED, IMAGE_UPLOAD_FAILED), ("product.image.src", C.TEXT, IMAGE_UPLOAD_FAILED),
           ("product.image.position", C.INT, IMAGE_UPLOAD_FAILED),
           ("product.sku", C.TEXT_OR_INT), ("product.weight", C.NUMBER),
           ("product.visibility", C.REQUIRED,
            _x(note="'required: yes' with 'default: both': required (the stricter reading)")),
           ("product.visibility", C.ONE_OF,
            _x(allowed=VISIBILITIES, note="the document's options both/search/none; PrestaShop's 'catalog' refused")),
           ("product.tags", C.TEXT),
           ("product.variant_groups", C.REQUIRED,
            _x(when=("variants", PRESENT), note="'if variants are passed with request, groups data is required'")),
           ("product.variant_groups", C.OBJECTS),
           ("product.variant_groups[].name", C.REQUIRED), ("product.variant_groups[].name", C.TEXT),
           ("product.variant_groups[].group_type", C.REQUIRED,
            _x(note="'required: yes' with 'default: select': required (the stricter reading)")),
           ("product.variant_groups[].group_type", C.ONE_OF, _x(allowed=GROUP_TYPES)),
           ("product.variants", C.OBJECTS),
           *_new_variant_rows("product.variants", "color",
                              "create documents `color` (hex) as required for a color group's value")),
    *_call("search_products.json", NO_SEARCH,
           ("ids|keyword", C.REQUIRED, _x(note="ids and keyword are each 'required: yes' unless the other is given")),
           ("ids", C.ID_TEXT, BAD_IDS, _x(note="int or '10,12,34'; a JSON list of ids is refused (type: int/string)")),
           ("keyword", C.TEXT),
           *_LIST_PARAMS),
    *_call("list_products.json", _error("No products found."),
           *_LIST_PARAMS,
           ("id_category", C.INT, _error("id_category must be a category id.")),
           ("only_active", C.BOOL, _error("only_active must be true or false."))),
    # `product.id` (and `product.image` for add_image) is how the action-less calls are told apart:
    # without it the request is another call (a product create), so only its type has a row.
    *_call("products.json:details", NOT_FOUND, ("product.id", C.INT)),
    *_call("products.json:update_product", UPDATE_FAILED,
           ("product.id", C.REQUIRED), ("product.id", C.INT),
           ("product.title", C.TEXT), ("product.description", C.TEXT), ("product.vendor", C.TEXT),
           ("product.compare_default_price", C.NUMBER), ("product.price", C.NUMBER), ("product.sku", C.TEXT),
           ("product.tags", C.OBJECT, _x(note="type: array of delete_existing + tags_list; a bare string is refused")),
           ("product.tags.tags_list", C.REQUIRED), ("product.tags.tags_list", C.TEXT),
           ("product.tags.delete_existing", C.BOOL)),
    *_call("products.json:add_image", UPLOAD_FAILED,
           ("product.id", C.INT),
           ("product.image", C.OBJECT),
           ("product.image.src", C.REQUIRED), ("product.image.src", C.TEXT),
           ("product.image.position", C.REQUIRED,
            _x(note="'required: yes' with 'default: 0': required (the stricter reading)")),
           ("product.image.position", C.INT)),
    *_call("products.json:replace_image", UPLOAD_FAILED,
           ("product.product_id", C.REQUIRED, IMAGE_NOT_FOUND), ("product.product_id", C.INT, IMAGE_NOT_FOUND),
           ("product.image_id", C.REQUIRED, IMAGE_NOT_FOUND), ("product.image_id", C.INT, IMAGE_NOT_FOUND),
           ("product.image", C.REQUIRED, _x(note="'required: no', but there is nothing to replace without it")),
           ("product.image", C.OBJECT),
           ("product.image.src", C.REQUIRED), ("product.image.src", C.TEXT),
           ("product.image.position", C.REQUIRED,
            _x(note="'required: yes' with 'default: 0': required (the stricter reading)")),
           ("product.image.position", C.INT), ("product.image.cover", C.BOOL)),
    *_call("products.json:product_status", STATUS_FAILED,
           ("product.id", C.REQUIRED), ("product.id", C.INT),
           ("product.active", C.REQUIRED), ("product.active", C.TRUE_FALSE)),
    *_call("products.json:add_tags", TAGS_FAILED,
           ("product.id", C.REQUIRED), ("product.id", C.INT),
           ("product.tags", C.REQUIRED, _x(note="the document says 'required: es': read as yes")),
           ("product.tags", C.TEXT), ("product.delete_existing", C.BOOL)),
    *_call("products.json:delete_tags", DELETE_TAGS_FAILED, ("product.id", C.REQUIRED), ("product.id", C.INT)),
    *_call("variant_groups.json:add_variant_groups", GROUPS_NOT_SENT,
           ("action", C.REQUIRED, INVALID_ACTION),
           ("variant_groups", C.REQUIRED,
            _x(note="'required: no', but the call documents 'Variant Groups data not sent.' without it")),
           ("variant_groups", C.OBJECTS),
           ("variant_groups[].name", C.REQUIRED), ("variant_groups[].name", C.TEXT),
           ("variant_groups[].group_type", C.REQUIRED,
            _x(note="'required: yes' with 'default: select': required (the stricter reading)")),
           ("variant_groups[].group_type", C.ONE_OF, _x(allowed=GROUP_TYPES))),
    *_call("variant_groups.json:list_variant_groups", INVALID_ACTION, ("action", C.REQUIRED)),
    *_call("variants.json:add", ADD_FAILED,
           ("product_id", C.REQUIRED, ADD_MISSING), ("product_id", C.INT, ADD_MISSING),
           ("image_id", C.INT),
           ("variants", C.REQUIRED, ADD_MISSING), ("variants", C.OBJECTS),
           *_new_variant_rows("variants", "color|texture", "'texture/color: required: yes' for a color group")),
    *_call("variants.json:update", UPDATE_VARIANTS_FAILED,
           ("product_id", C.REQUIRED, UPDATE_MISSING), ("product_id", C.INT, UPDATE_MISSING),
           ("variants", C.REQUIRED, UPDATE_MISSING), ("variants", C.OBJECTS),
           ("variants[].id", C.REQUIRED), ("variants[].id", C.INT),
           ("variants[].compare_at_price", C.REQUIRED), ("variants[].compare_at_price", C.NUMBER),
           ("variants[].price", C.REQUIRED), ("variants[].price", C.NUMBER),
           ("variants[].sku", C.TEXT), ("variants[].weight", C.NUMBER),
           ("variants[].image_id", C.ID_LIST),
           ("variants[].default_on", C.REQUIRED), ("variants[].default_on", C.BOOL),
           ("variants[].update_all_fields", C.BOOL,
            _x(note="true: a row's missing sku, weight and image_id are reset (sku '', weight 0, no images)")),
           ("variants", C.ONE_DEFAULT)),
    *_call("variants.json:assign_image", NOT_PROVIDED,
           ("variants", C.REQUIRED), ("variants", C.ID_LIST),
           ("image_id", C.REQUIRED, _x(note="'required: no, default: 0', but image 0 does not exist")),
           ("image_id", C.ID_LIST)),
    *_call("variants.json:delete_image", NOT_PROVIDED,
           ("variants", C.REQUIRED), ("variants", C.ID_LIST),
           ("image_id", C.REQUIRED,
            _x(note="'required: no, default: 0', but the failure body names it: never 'every image'")),
           ("image_id", C.ID_LIST)),
    *_call("variants.json:delete", PRODUCT_ID_MISSING, ("product_id", C.REQUIRED), ("product_id", C.INT)),
    *_call("webhooks.json:create", BAD_URL,
           ("action", C.REQUIRED, INVALID_ACTION),
           ("webhook_data", C.REQUIRED, WEBHOOK_EMPTY), ("webhook_data", C.OBJECTS, WEBHOOK_EMPTY),
           ("webhook_data[].name", C.REQUIRED,
            _x(note="no body documented for a missing name: the call's 'one or more webhooks' failure")),
           ("webhook_data[].name", C.TEXT),
           ("webhook_data[].endpoint", C.REQUIRED), ("webhook_data[].endpoint", C.TEXT)),
    *_call("webhooks.json:list", INVALID_ACTION, ("action", C.REQUIRED)),
    *_call("webhooks.json:update", WEBHOOK_EMPTY,
           ("action", C.REQUIRED, INVALID_ACTION),
           ("webhook_data", C.REQUIRED), ("webhook_data", C.OBJECTS),
           ("webhook_data[].id", C.REQUIRED, WEBHOOK_ID_MISSING), ("webhook_data[].id", C.INT, WEBHOOK_ID_MISSING),
           ("webhook_data[].name", C.TEXT), ("webhook_data[].endpoint", C.TEXT, BAD_URL)),
    *_call("webhooks.json:delete", WEBHOOK_DELETE_ID_MISSING,
           ("action", C.REQUIRED, INVALID_ACTION),
           ("id", C.REQUIRED), ("id", C.INT)),
]

CALLS: tuple[str, ...] = tuple(dict.fromkeys(
    ["list_categories.json", *(row.call for row in CALL_ROWS)]
))


def _auth_rows(call: str) -> list[Row]:
    return [
        *(Row(call, name, C.REQUIRED, body, 401) for name, body in AUTH_FAILURES.items()),
        *(Row(call, name, C.TEXT, AUTH_FAILED, 401) for name in AUTH_FAILURES),
    ]


AUTH_ROWS: dict[str, tuple[Row, ...]] = {call: tuple(_auth_rows(call)) for call in CALLS}
ANY_CALL_AUTH = tuple(_auth_rows("*"))  # an unknown action still authenticates first
ROWS: dict[str, tuple[Row, ...]] = {
    call: tuple(row for row in CALL_ROWS if row.call == call) for call in CALLS
}
TABLE: tuple[Row, ...] = tuple(row for call in CALLS for row in (*AUTH_ROWS[call], *ROWS[call]))
