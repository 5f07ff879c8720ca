"""The Plan: a frozen, versioned document. JSON is its canonical form; renderers and the applier
read the same object (DESIGN.md: one model of the plan feeds everything)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    PlainValidator,
    SerializeAsAny,
    TypeAdapter,
    ValidationInfo,
    field_validator,
)

from catalogctl.core.frozen import LeanFrozen, lean_fill, lean_record, only_of_type, shared_fields_set
from catalogctl.errors import PlanError, TargetError
from catalogctl.model.address import Kind

FORMAT_VERSION = 2
"""2: the plan names its `provider` (whose action types its steps hold), `preconditions`, `notes`."""


class ChangeAction(StrEnum):
    """What happens to one resource (terraform's action enum)."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    UNSUPPORTED = "unsupported"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]


_SYMBOLS = {
    ChangeAction.CREATE: "+",
    ChangeAction.UPDATE: "~",
    ChangeAction.REPLACE: "-/+",
    ChangeAction.DELETE: "-",
    ChangeAction.UNSUPPORTED: "!",
}


class _Frozen(LeanFrozen):
    pass


def _json_object(value: Any) -> Any:
    """An attrs object as given, not copied (pydantic copies every dict it validates: in a plan of
    100,000 resources that was a second dict per resource); anything but an object is refused."""
    if value is None or isinstance(value, dict):
        return value
    raise ValueError("expected a JSON object or null")


JsonObject = Annotated[dict[str, Any] | None, PlainValidator(_json_object)]


class Change(_Frozen):
    """One resource's difference. `before`/`after` hold normalized attrs (None for create/delete).

    `reasons` explains, per field, why a change is a replace or unsupported; `blocked` marks a
    replace that was not allowed (no --allow-replace): shown, never executed. `note` is a
    one-line remark for people (e.g. "recreates all 12 variants of the product").
    """

    address: str
    kind: Kind
    action: ChangeAction
    before: JsonObject = None
    after: JsonObject = None
    reasons: dict[str, str] = Field(default_factory=dict)
    blocked: bool = False
    note: str | None = None
    renamed_from: str | None = None  # a product renamed in place (`previous_skus`): the sku it has in the store

    def __init__(self, **data: Any) -> None:
        """pydantic's, but values the planner made (every field of its exact type) are set as they are:
        a 10,000-product plan makes 120,000 changes (core/frozen.py: lean_fill)."""
        values = _exact_change(data)
        if values is None:
            super().__init__(**data)
        else:
            lean_fill(self, values, data)

    # Still pydantic's own for a change read from a saved plan (nested validation does not call it).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


_CHANGE_FIELDS = frozenset(Change.model_fields)


def _optional_text(value: Any) -> bool:
    return value is None or type(value) is str


def _exact_change(data: dict[str, Any]) -> dict[str, Any] | None:
    """Change's fields in order when every given value is what validation would keep as it is; else None."""
    if not data.keys() <= _CHANGE_FIELDS or "address" not in data or "kind" not in data or "action" not in data:
        return None
    address, kind, action = data["address"], data["kind"], data["action"]
    before, after, reasons = data.get("before"), data.get("after"), data.get("reasons", _NO_REASONS)
    blocked, note, renamed_from = data.get("blocked", False), data.get("note"), data.get("renamed_from")
    if not (type(address) is str and type(kind) is Kind and type(action) is ChangeAction
            and (before is None or type(before) is dict) and (after is None or type(after) is dict)
            and type(blocked) is bool and _optional_text(note) and _optional_text(renamed_from)
            and type(reasons) is dict and all(type(k) is str and type(v) is str for k, v in reasons.items())):
        return None
    return {"address": address, "kind": kind, "action": action, "before": before, "after": after,
            "reasons": dict(reasons), "blocked": blocked, "note": note, "renamed_from": renamed_from}


_NO_REASONS: dict[str, str] = {}


def created(address: str, kind: Kind, after: dict[str, Any]) -> Change:
    """Change(address=address, kind=kind, action=CREATE, after=after), without the keywords and the checks
    of Change's own __init__ when the values have exactly these types (a 10,000-product create plan makes
    120,000 of these: a fifth of the CPU of Change(...))."""
    if type(address) is not str or type(kind) is not Kind or type(after) is not dict:
        return Change(address=address, kind=kind, action=ChangeAction.CREATE, after=after)
    change = lean_record(Change, _CREATED_FIELDS)
    own = change.__dict__
    own["address"] = address
    own["kind"] = kind
    own["action"] = ChangeAction.CREATE
    own["before"] = None
    own["after"] = after
    own["reasons"] = {}
    own["blocked"] = False
    own["note"] = None
    own["renamed_from"] = None
    return change


_CREATED_FIELDS = shared_fields_set(("address", "kind", "action", "after"))


def _provider_action(value: Any, info: ValidationInfo) -> Any:
    """A step's action is the provider's own model; a saved plan is read with that provider's types."""
    if isinstance(value, BaseModel):
        return value
    actions = (info.context or {}).get("actions")
    if not isinstance(actions, TypeAdapter):
        raise ValueError("a step's action can only be read with its provider's action types")
    return actions.validate_python(value)


ProviderAction = Annotated[SerializeAsAny[BaseModel], BeforeValidator(_provider_action)]
"""A provider's action: a frozen pydantic model with an `op` field (a StrEnum of that provider)."""


class Step(_Frozen):
    """One provider operation; `addresses` are the changes it carries out."""

    id: str
    action: ProviderAction
    addresses: tuple[str, ...]
    depends_on: tuple[str, ...] = ()


_STEP_GIVEN = shared_fields_set(("id", "action", "addresses", "depends_on"))


def step_of(id: str, action: BaseModel, addresses: tuple[str, ...], depends_on: tuple[str, ...]) -> Step:
    """Step(id=id, action=action, addresses=addresses, depends_on=depends_on), made without pydantic's
    checks when the values have exactly these types (StepDrafts makes them so: a step per product)."""
    if not (type(id) is str and isinstance(action, BaseModel) and type(addresses) is tuple
            and type(depends_on) is tuple and only_of_type(addresses, str) and only_of_type(depends_on, str)):
        return Step(id=id, action=action, addresses=addresses, depends_on=depends_on)
    step = lean_record(Step, _STEP_GIVEN)
    own = step.__dict__
    own["id"] = id
    own["action"] = action
    own["addresses"] = addresses
    own["depends_on"] = depends_on
    return step


class Safety(_Frozen):
    """Destructive changes (deletes, deactivations, replacements) against the threshold."""

    destructive: int = 0
    managed_live: int = 0
    max_share: float = 0.25
    min_objects: int = 10

    @property
    def exceeded(self) -> bool:
        if self.destructive < self.min_objects:
            return False
        return self.destructive > self.max_share * max(self.managed_live, 1)


class Precondition(_Frozen):
    """A fact the target must match before anything is applied (e.g. the shop's currency)."""

    address: str
    name: str
    expected: Any = None
    actual: Any = None
    ok: bool

    @property
    def message(self) -> str:
        verdict = "ok" if self.ok else "FAILED"
        return (f"precondition {verdict}: {self.address} {self.name}: the catalog says {self.expected!r},"
                f" the store has {self.actual!r}")


class PolicyViolation(_Frozen):
    """A target policy this plan breaks: apply refuses it unless `--override-policy <policy>`."""

    policy: str
    address: str
    location: str | None = None  # file:line:column of the value in the catalog
    message: str

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"{self.policy}: {self.address}{where}: {self.message}"


class Plan(_Frozen):
    format_version: int = FORMAT_VERSION
    provider: str
    target: str
    catalog_digest: str
    live_digest: str
    summary: dict[ChangeAction, int]
    changes: tuple[Change, ...] = ()
    steps: tuple[Step, ...] = ()
    unmanaged: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()   # for people, no action needed: e.g. what could not be compared (one line each)
    safety: Safety = Field(default_factory=Safety)
    preconditions: tuple[Precondition, ...] = ()
    policies: tuple[str, ...] = ()  # the target's policies this plan was checked against
    policy_violations: tuple[PolicyViolation, ...] = ()
    # Products the plan changes nothing for although the store does not match (renames.py: the new and
    # a previous sku both live, or several previous skus): optional, so older plan files still read.
    held: tuple[str, ...] = ()
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("summary", mode="before")
    @classmethod
    def _actions_only(cls, value: Any) -> Any:
        """The JSON summary also counts `renamed` and `held` (see to_json): derived, not read back."""
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k not in _DERIVED_COUNTS}
        return value

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    @property
    def matches(self) -> bool:
        """The store matches the catalog: nothing to change and no product held."""
        return not self.changes and not self.held

    @property
    def failed_preconditions(self) -> tuple[Precondition, ...]:
        """Facts the target does not match: apply refuses the whole plan."""
        return tuple(p for p in self.preconditions if not p.ok)

    def to_json(self) -> str:
        """Indented at the top, one change and one step per line: still readable and greppable, but
        about half the size of indent=2 (which spread each before/after/spec over dozens of lines)."""
        if NOT_COMPUTED in (self.catalog_digest, self.live_digest):
            raise ValueError("a plan built without digests (to be shown only) cannot be saved")
        head = json.loads(self.model_dump_json(exclude=set(_ONE_PER_LINE)))
        renamed = sum(1 for change in self.changes if change.renamed_from is not None)
        head["summary"] = {**head["summary"], "renamed": renamed, "held": len(self.held)}
        members = []
        for name in type(self).model_fields:
            if name in _ONE_PER_LINE:
                items = [item.model_dump_json() for item in getattr(self, name)]
                value = "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"
            else:
                value = json.dumps(head[name], indent=2, ensure_ascii=False).replace("\n", "\n  ")
            members.append(f"  {json.dumps(name)}: {value}")
        return "{\n" + ",\n".join(members) + "\n}\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """A saved plan, its steps read with its provider's action types; older formats are refused."""
        try:
            head = json.loads(text)
        except ValueError as exc:
            raise PlanError(f"not a plan file: {exc}") from None
        if not isinstance(head, dict):
            raise PlanError("not a plan file: expected a JSON object")
        version = head.get("format_version")
        if version != FORMAT_VERSION:
            raise PlanError(f"this plan has format_version {version}; this catalogctl reads {FORMAT_VERSION}",
                            hint="Make the plan again with this version of catalogctl (`catalogctl plan --out FILE`).")
        from catalogctl.providers.registry import get_provider  # the registry knows the planner, not vice versa

        try:
            spec = get_provider(str(head.get("provider")))
        except TargetError as exc:
            raise PlanError(f"this plan is for {exc.message}") from None
        return cls.model_validate(head, context={"actions": spec.actions})


_ONE_PER_LINE = ("changes", "steps")
NOT_COMPUTED = "not computed"  # the digests of a plan that is only shown (plan/builder.py)
_DERIVED_COUNTS = ("renamed", "held")


def empty_summary() -> dict[ChangeAction, int]:
    return {action: 0 for action in ChangeAction}
