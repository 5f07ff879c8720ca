"""What Shoplazza's shop API can do here: read the shop's facts. Nothing is ever changed.

The shop is a check-only kind: each fact the catalog states is a precondition of the plan, and
apply refuses a plan whose target is not the shop the catalog was written for.
"""

from __future__ import annotations

from catalogctl.core import Capabilities, DeleteMode, KindCapabilities
from catalogctl.model.address import Kind

CAPABILITIES: Capabilities = {
    Kind.STORE: KindCapabilities(create=False, delete=DeleteMode.NONE, check_only=True,
                                 unsupported_reason="Shoplazza's shop API is read-only"),
}
SECTIONS = frozenset({"store"})
"""The one catalog section this provider reads; every other section is noted once as unsupported."""
