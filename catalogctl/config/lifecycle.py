"""The catalog's lifecycle blocks: `lifecycle: {protect: true, ignore_changes: [price, tags]}`.

`protect` makes a plan fail that would deactivate, delete, replace or rebuild the variants of the
product (or delete the webhook), like terraform's `prevent_destroy`: `--force` does not lift it,
only an edit of the file does. `ignore_changes` names fields that are set when the product is
created and never updated afterwards (another tool owns them); they apply to its variants too.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from catalogctl.config.scalars import resolved
from catalogctl.core.guardrails import IgnorableField

__all__ = ["IgnorableField", "Lifecycle", "Protection"]

_Flag = Annotated[bool, BeforeValidator(resolved)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Protection(_Strict):
    """A webhook's lifecycle: only `protect`."""

    protect: _Flag = False


class Lifecycle(Protection):
    """A product's lifecycle: `protect`, and the fields catalogctl sets on create only."""

    ignore_changes: list[IgnorableField] = []
