"""Shoplazza has no step actions: catalogctl only reads the shop. The adapter refuses any step,
so a plan file claiming one for this provider is not read back."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from pydantic_core import PydanticCustomError, core_schema


def _no_step(value: Any) -> Any:
    raise PydanticCustomError("no_steps", "Shoplazza plans have no steps (the shop API is read-only)")


class NoAction:
    """Validates nothing: every value is refused."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_no_step)


ACTION_ADAPTER: TypeAdapter[NoAction] = TypeAdapter(NoAction)
