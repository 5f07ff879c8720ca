"""Shoprocket's step actions: create a store, create a user. The API has nothing else to call.

Actions name the store by subdomain and the user by email (the natural keys) and carry only what
the catalog says; a password is named by its environment variable, read when the step runs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class Op(StrEnum):
    CREATE_STORE = "create_store"
    CREATE_USER = "create_user"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CreateStore(_Frozen):
    """`POST /v1/stores` with `params` (the documented parameters the catalog sets)."""

    op: Literal[Op.CREATE_STORE] = Op.CREATE_STORE
    subdomain: str
    params: dict[str, str]


class CreateUser(_Frozen):
    """`POST /v1/user`; the password comes from the environment variable `password_env` at apply time."""

    op: Literal[Op.CREATE_USER] = Op.CREATE_USER
    email: str
    password_env: str
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None


Action = Annotated[CreateStore | CreateUser, Field(discriminator="op")]
ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)
