"""Steps as a provider drafts them: actions with the changes they carry and what they wait for;
`steps()` orders them with the DAG and numbers them s001, s002, ... in that order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel

from catalogctl.model.address import Address
from catalogctl.plan.dag import DAG
from catalogctl.plan.diff import address_text
from catalogctl.plan.model import Step, step_of


@dataclass
class _Draft:
    action: BaseModel
    addresses: list[str]
    depends_on: list[int] = field(default_factory=list)


class StepDrafts:
    """Collects a provider's steps; each `add` returns a handle later steps can depend on."""

    def __init__(self) -> None:
        self._drafts: list[_Draft] = []

    def add(self, action: BaseModel, addresses: Iterable[Address | str],
            depends_on: Iterable[int | None] = ()) -> int:
        """Add one step carrying the changes at `addresses`; None dependencies are ignored."""
        deps = [d for d in dict.fromkeys(depends_on) if d is not None]
        # str(a), an Address's text read where it keeps it once made (str() is a type call into a Python
        # __str__: a create plan's steps carry 120,000 addresses at 10,000 products)
        texts = [(a._text or str(a)) if type(a) is Address else str(a) for a in addresses] if (
            type(addresses) is list) else None
        if texts is None or len(set(texts)) != len(texts):   # distinct texts: the addresses are distinct too
            texts = [address_text(a) for a in dict.fromkeys(addresses)]
        self._drafts.append(_Draft(action, texts, deps))
        return len(self._drafts) - 1

    def __len__(self) -> int:
        return len(self._drafts)

    def wait_for(self, step: int, since: int) -> None:
        """Every step added from handle `since` on (but `step` itself) waits for `step`."""
        for index in range(since, len(self._drafts)):
            deps = self._drafts[index].depends_on
            if index != step and step not in deps:
                deps.append(step)

    def steps(self) -> list[Step]:
        """The steps in dependency order (ties in the order added), with stable ids."""
        dag: DAG[int] = DAG()
        for index, draft in enumerate(self._drafts):
            dag.add(index, draft.depends_on)
        order = dag.order()
        width = max(3, len(str(len(order))))
        ids = {index: f"s{n:0{width}d}" for n, index in enumerate(order, start=1)}
        drafts = self._drafts
        return [step_of(ids[i], drafts[i].action, tuple(drafts[i].addresses),
                        tuple(sorted([ids[d] for d in drafts[i].depends_on]))) for i in order]
