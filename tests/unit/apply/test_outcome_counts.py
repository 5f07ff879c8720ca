"""Outcome.resource_counts: a resource counts once, and only when every step that carries it is done."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from catalogctl.apply.outcome import Outcome, StepOutcome, StepStatus
from catalogctl.plan.model import Step
from catalogctl.providers.groovekart.actions import SetTags

_ACTION = SetTags(sku="x", tags=())
_ACTIONS = ("create", "update", "replace", "delete")


def _outcome(rows: list[tuple[tuple[str, ...], StepStatus]], planned: dict[str, str]) -> Outcome:
    steps = tuple(StepOutcome(Step(id=f"s{n}", action=_ACTION, addresses=addresses, depends_on=()), status)
                  for n, (addresses, status) in enumerate(rows))
    return Outcome("t", steps, planned=planned)


def _by_definition(rows: list[tuple[tuple[str, ...], StepStatus]], planned: dict[str, str]) -> dict[str, int]:
    addresses = {a for addresses, _ in rows for a in addresses}
    whole = [a for a in addresses if all(status is StepStatus.DONE for carried, status in rows if a in carried)]
    counts = {action: sum(1 for a in whole if planned.get(a) == action) for action in _ACTIONS}
    return {action: n for action, n in counts.items() if n}


def test_a_product_and_its_images_in_two_steps_count_once_and_only_when_both_are_done() -> None:
    rows = [(("p1", "p1.img"), StepStatus.DONE), (("p1.img",), StepStatus.FAILED),
            (("p2",), StepStatus.DONE), (("p2",), StepStatus.DONE), (("p3",), StepStatus.SKIPPED)]
    planned = {"p1": "create", "p1.img": "create", "p2": "update", "p3": "delete"}
    assert _outcome(rows, planned).resource_counts() == {"create": 1, "update": 1}


_ADDRESS = st.sampled_from([f"r{n}" for n in range(8)])


@given(rows=st.lists(st.tuples(st.lists(_ADDRESS, max_size=4).map(tuple), st.sampled_from(list(StepStatus))),
                     max_size=12),
       planned=st.dictionaries(_ADDRESS, st.sampled_from(_ACTIONS)))
def test_counts_match_the_definition(rows: list[tuple[tuple[str, ...], StepStatus]], planned: dict[str, str]) -> None:
    assert _outcome(rows, planned).resource_counts() == _by_definition(rows, planned)


@given(rows=st.lists(st.tuples(st.lists(_ADDRESS, max_size=2).map(tuple), st.sampled_from(list(StepStatus))),
                     max_size=12),
       interrupted=st.booleans())
def test_ok_and_the_step_counts_match_their_definitions(rows: list[tuple[tuple[str, ...], StepStatus]],
                                                        interrupted: bool) -> None:
    outcome = Outcome("t", _outcome(rows, {}).steps, interrupted=interrupted)
    statuses = [status for _, status in rows]
    assert outcome.ok is (not interrupted and all(status is StepStatus.DONE for status in statuses))
    assert outcome.counts() == {status: statuses.count(status) for status in StepStatus}
