"""What Shoprocket's API can do: create a store, create a user. Nothing can be read, changed or removed.

Every attribute is write-only (the API has no read): it is compared with what state recorded when
catalogctl created the object, and a difference is unsupported, never silently dropped.
"""

from __future__ import annotations

from catalogctl.core import Capabilities, DeleteMode, KindCapabilities
from catalogctl.model.address import Kind
from catalogctl.providers.shoprocket.wire import STORE_PARAMS

STORE_REASON = "Shoprocket's API cannot update a store; change it in the dashboard"
USER_REASON = "Shoprocket's API cannot update a user; change it in the dashboard"

CAPABILITIES: Capabilities = {
    Kind.STORE: KindCapabilities(create=True, delete=DeleteMode.NONE, write_only=frozenset(STORE_PARAMS),
                                 unsupported_reason=STORE_REASON),
    Kind.STAFF_USER: KindCapabilities(
        create=True, delete=DeleteMode.NONE, unsupported_reason=USER_REASON,
        write_only=frozenset({"first_name", "last_name", "phone_number", "password_env"}),
    ),
}
SECTIONS = frozenset({"store", "staff"})
"""The catalog sections this provider plans; the others are noted once as unsupported."""
