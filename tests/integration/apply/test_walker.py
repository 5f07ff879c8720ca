"""The walker's own semantics, against a tiny in-test provider (the real one is tested with the sandbox)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, ClassVar

import pytest

from catalogctl.apply.outcome import StepStatus
from catalogctl.apply.walker import CANCELLED_IN_FLIGHT, walk
from catalogctl.core import Capabilities, Facts, IdRegistry, LiveState, StepResult
from catalogctl.errors import CatalogError, InternalError
from catalogctl.model.address import Address
from catalogctl.plan.model import Step
from catalogctl.providers.base import Provider
from catalogctl.providers.groovekart import actions as A
from catalogctl.providers.groovekart.actions import Action


class Journal:
    def __init__(self) -> None:
        self.facts: dict[str, dict[str, object]] = {}
        self.flushed = 0

    def record(self, facts: Facts) -> None:
        for key, values in facts.items():
            self.facts.setdefault(key, {}).update(values)

    def flush(self) -> None:
        self.flushed += 1


class FakeStore(Provider):
    """Each step's sku names its behaviour: FAIL fails with a store message, BUG raises a bug."""

    name = "fake"
    capabilities: ClassVar[Capabilities] = {}

    def __init__(self, delay: float = 0.01, gate: asyncio.Event | None = None) -> None:
        self.delay = delay
        self.gate = gate
        self.calls: list[str] = []
        self.running = 0
        self.peak = 0
        self.seen_ids: dict[str, Mapping[Address, str]] = {}
        self.requests = 0

    async def read(self, facts: Facts) -> LiveState:
        return LiveState({})

    async def execute(self, action: Action, ids: IdRegistry) -> StepResult:
        assert isinstance(action, A.SetTags)
        self.running += 1
        self.peak = max(self.peak, self.running)
        self.calls.append(action.sku)
        self.seen_ids[action.sku] = dict(ids)
        try:
            if self.gate is not None:
                await self.gate.wait()
            await asyncio.sleep(self.delay)
            self.requests += 1
            if action.sku.startswith("FAIL"):
                raise CatalogError(f"store said no to {action.sku}")
            if action.sku.startswith("BUG"):
                raise KeyError("oops")
            if action.sku.startswith("CANCEL"):   # the provider's own (an inner future's), not the walk's
                raise asyncio.CancelledError()
            address = Address.for_product(action.sku)
            return StepResult(ids={address: f"id-{action.sku}"}, facts={f"product:id-{action.sku}": {"x": 1}})
        finally:
            self.running -= 1

    @property
    def request_count(self) -> int:
        return self.requests


def step(sid: str, sku: str, *deps: str) -> Step:
    return Step(id=sid, action=A.SetTags(sku=sku, tags=()), addresses=(f'product["{sku}"]',), depends_on=deps)


def statuses(outcome) -> dict[str, str]:
    return {o.step.id: o.status.value for o in outcome.steps}


def test_dependencies_run_first_and_ids_flow_to_dependents() -> None:
    steps = [step("s1", "A"), step("s2", "B", "s1"), step("s3", "C", "s2")]
    store, journal = FakeStore(), Journal()
    outcome = asyncio.run(walk(steps, store, {}, journal, target="t"))
    assert outcome.ok and store.calls == ["A", "B", "C"]
    assert store.seen_ids["C"] == {Address.for_product("A"): "id-A", Address.for_product("B"): "id-B"}
    assert journal.facts == {"product:id-A": {"x": 1}, "product:id-B": {"x": 1}, "product:id-C": {"x": 1}}
    assert journal.flushed == 1 and outcome.requests == 3


def test_concurrency_is_bounded() -> None:
    steps = [step(f"s{i}", f"P{i}") for i in range(12)]
    store = FakeStore()
    outcome = asyncio.run(walk(steps, store, {}, Journal(), concurrency=3))
    assert outcome.ok and store.peak == 3


def test_failure_skips_dependents_transitively_and_independent_work_goes_on() -> None:
    steps = [step("s1", "FAIL-A"), step("s2", "B", "s1"), step("s3", "C", "s2"), step("s4", "D"),
             step("s5", "E", "s4")]
    outcome = asyncio.run(walk(steps, FakeStore(), {}, Journal()))
    assert statuses(outcome) == {"s1": "failed", "s2": "skipped", "s3": "skipped", "s4": "done", "s5": "done"}
    failed = outcome.steps[0]
    assert failed.error == "store said no to FAIL-A"
    assert outcome.steps[2].error == "depends on s1, which failed"
    assert not outcome.ok and outcome.status == "failed"
    report = outcome.to_json()
    assert '"status": "skipped"' in report and '"op": "set_tags"' in report


def test_unexpected_error_stops_new_work_but_lets_in_flight_steps_finish() -> None:
    steps = [step("s1", "BUG"), step("s2", "SLOW"), step("s3", "LATER", "s2")]
    store = FakeStore(delay=0.05)
    outcome = asyncio.run(walk(steps, store, {}, Journal(), concurrency=2))
    result = statuses(outcome)
    assert result["s1"] == "failed" and result["s2"] == "done" and result["s3"] == "skipped"
    assert outcome.steps[0].error == "unexpected KeyError: 'oops'"
    assert "LATER" not in store.calls


def test_a_cycle_is_a_bug_report_before_any_change() -> None:
    store = FakeStore()
    with pytest.raises(InternalError, match="cycle"):
        asyncio.run(walk([step("s1", "A", "s2"), step("s2", "B", "s1")], store, {}, Journal()))
    assert store.calls == []


def test_cancellation_lets_in_flight_steps_finish_and_skips_the_rest() -> None:
    async def scenario() -> tuple[object, FakeStore, Journal]:
        gate = asyncio.Event()
        store, journal = FakeStore(gate=gate), Journal()
        steps = [step("s1", "A"), step("s2", "B"), step("s3", "C", "s1"), step("s4", "D")]
        task = asyncio.create_task(walk(steps, store, {}, journal, concurrency=2))
        while store.running < 2:
            await asyncio.sleep(0.001)
        task.cancel()          # what asyncio.run does on Ctrl-C
        await asyncio.sleep(0.01)
        gate.set()
        return await task, store, journal

    outcome, store, journal = asyncio.run(scenario())
    assert statuses(outcome) == {"s1": "done", "s2": "done", "s3": "skipped", "s4": "skipped"}
    assert outcome.interrupted and outcome.status == "interrupted"
    assert store.calls == ["A", "B"] and journal.flushed == 1
    assert "product:id-A" in journal.facts


def test_every_step_is_reported_once_in_plan_order() -> None:
    steps = [step("s1", "A"), step("s2", "FAIL-B"), step("s3", "C", "s1", "s2")]
    outcome = asyncio.run(walk(steps, FakeStore(), {}, Journal()))
    assert [o.step.id for o in outcome.steps] == ["s1", "s2", "s3"]
    assert [o.status for o in outcome.steps] == [StepStatus.DONE, StepStatus.FAILED, StepStatus.SKIPPED]
    assert "failed  s2 set_tags" in outcome.summary()


class _Order:
    """A journal that notes the order steps are settled in (and the progress lines' order)."""

    def __init__(self) -> None:
        self.recorded: list[str] = []
        self.finished: list[str] = []

    def record(self, facts: Facts) -> None:
        self.recorded += [key.removeprefix("product:id-") for key in facts]

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_steps_that_end_together_are_settled_in_plan_order_and_the_walk_never_stalls(loop: str) -> None:
    """Steps ending in the same turn of the loop are settled by their index (as asyncio.wait returned
    them); a step ending while the walk settles others wakes it all the same."""
    from catalogctl.cli import aio

    steps = [step(f"s{i}", f"P{i}") for i in range(40)]
    store, order = FakeStore(delay=0), _Order()

    class Progress:
        def started(self, step: Step) -> None:
            pass

        def finished(self, step: Step, status: StepStatus, done: int, total: int) -> None:
            order.finished.append(step.id)

    async def main() -> object:
        return await walk(steps, store, {}, order, concurrency=8, progress=Progress())

    outcome: Any = aio.run(main()) if loop == "uvloop" else asyncio.run(main())
    assert outcome.ok and store.peak == 8
    assert order.finished == [s.id for s in steps]   # every batch of 8 ends together, settled by index
    assert order.recorded == [f"P{i}" for i in range(40)]


def test_a_second_cancellation_cuts_the_steps_in_flight_short_and_reports_them_in_plan_order() -> None:
    """Each lane's step is reported as cancelled in flight, in plan order; nothing else is started."""
    async def scenario() -> tuple[Any, FakeStore, list[str]]:
        gate = asyncio.Event()   # never set: the steps in flight wait until cancelled
        store = FakeStore(gate=gate)
        finished: list[str] = []

        class Progress:
            def started(self, step: Step) -> None:
                pass

            def finished(self, step: Step, status: StepStatus, done: int, total: int) -> None:
                finished.append(step.id)

        steps = [step("s1", "A"), step("s2", "B"), step("s3", "C", "s1"), step("s4", "D")]
        task = asyncio.create_task(walk(steps, store, {}, Journal(), concurrency=2, progress=Progress()))
        while store.running < 2:
            await asyncio.sleep(0.001)
        task.cancel()
        await asyncio.sleep(0.01)
        task.cancel()          # the second Ctrl-C
        return await task, store, finished

    outcome, store, finished = asyncio.run(scenario())
    assert statuses(outcome) == {"s1": "failed", "s2": "failed", "s3": "skipped", "s4": "skipped"}
    assert outcome.steps[0].error == outcome.steps[1].error == CANCELLED_IN_FLIGHT
    assert outcome.steps[2].error == "not started: the apply was interrupted"   # not reached, as the rest
    assert store.calls == ["A", "B"] and finished == ["s1", "s2"] and outcome.interrupted


def test_an_abort_reports_the_lanes_cut_short_and_lets_the_walk_return() -> None:
    """abort() (the grace period's end) cancels the steps in flight; the walk still returns an outcome."""
    async def scenario() -> tuple[Any, FakeStore]:
        store = FakeStore(gate=asyncio.Event())
        steps = [step(f"s{i}", f"P{i}") for i in range(5)]
        from catalogctl.apply import walker as W

        walking = W._Walk(steps, store, {}, Journal(), 3, W._Quiet())
        task = asyncio.create_task(walking.run("t"))
        while store.running < 3:
            await asyncio.sleep(0.001)
        walking.stop("not started: the apply was interrupted (SIGINT)")
        walking.abort()
        return await task, store

    outcome, store = asyncio.run(scenario())
    assert [o.status.value for o in outcome.steps] == ["failed"] * 3 + ["skipped"] * 2
    assert outcome.steps[3].error == "not started: the apply was interrupted (SIGINT)"
    assert store.calls == ["P0", "P1", "P2"]


def test_a_journal_that_cannot_write_fails_the_walk_after_flushing() -> None:
    """The walk's own error (the state's write) is raised by walk(), as it was from the walker's task."""
    class Broken(Journal):
        def record(self, facts: Facts) -> None:
            raise OSError(28, "No space left on device")

    journal = Broken()
    with pytest.raises(OSError, match="No space left"):
        asyncio.run(walk([step("s1", "A"), step("s2", "B", "s1")], FakeStore(), {}, journal))
    assert journal.flushed == 1


def test_a_step_that_ends_the_walk_unexpectedly_in_a_lane_of_many_leaves_the_rest_to_finish() -> None:
    """A bug in one lane's step stops new work; the other lanes' steps in flight finish and are settled."""
    steps = [step("s1", "BUG"), step("s2", "SLOW"), step("s3", "SLOWER"), step("s4", "NEXT")]
    store = FakeStore(delay=0.02)
    outcome = asyncio.run(walk(steps, store, {}, Journal(), concurrency=3))
    assert statuses(outcome) == {"s1": "failed", "s2": "done", "s3": "done", "s4": "skipped"}
    assert outcome.steps[3].error == "not started: step s1 failed unexpectedly"


def test_a_step_cancelled_by_its_own_provider_is_cut_short_and_the_walk_goes_on() -> None:
    store = FakeStore()
    outcome = asyncio.run(walk([step("s1", "CANCEL"), step("s2", "B"), step("s3", "C")], store, {}, Journal(),
                               concurrency=1))
    assert [(o.step.id, o.status, o.error) for o in outcome.steps] == [
        ("s1", StepStatus.FAILED, CANCELLED_IN_FLIGHT), ("s2", StepStatus.DONE, None), ("s3", StepStatus.DONE, None)]
    assert not outcome.interrupted


class FailingJournal(Journal):
    """Fails its first write only (a disk that fills up, then frees)."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    def record(self, facts: Facts) -> None:
        if not self.failed:
            self.failed = True
            raise OSError(28, "No space left on device")
        super().record(facts)


def test_after_the_journal_fails_the_walk_starts_nothing_more() -> None:
    store = FakeStore()

    async def run() -> tuple[int, int]:
        with pytest.raises(OSError, match="No space left"):
            await walk([step(f"s{n}", f"P{n}") for n in range(40)], store, {}, FailingJournal(), concurrency=4)
        raised = len(store.calls)
        await asyncio.sleep(0.2)   # what the caller does next (closing the session) leaves the loop running
        return raised, len(store.calls)

    raised, later = asyncio.run(run())
    assert raised <= 4 and later == raised


def test_steps_that_end_in_one_turn_in_reverse_are_settled_and_followed_in_plan_order() -> None:
    started: list[str] = []
    finished: list[str] = []

    class Seen:
        def started(self, s: Step) -> None:
            started.append(s.id)

        def finished(self, s: Step, status: StepStatus, done: int, total: int) -> None:
            finished.append(s.id)

    async def run() -> None:
        gate_a, gate_b = asyncio.Event(), asyncio.Event()
        store = FakeStore(delay=0)
        gates = {"A": gate_a, "B": gate_b}
        original = store.execute

        async def execute(action: Action, ids: IdRegistry) -> StepResult:
            gate = gates.get(action.sku)   # type: ignore[attr-defined]
            if gate is not None:
                await gate.wait()
            return await original(action, ids)

        store.execute = execute   # type: ignore[method-assign]
        steps = [step("s0", "A"), step("s1", "B"), step("s2", "C", "s0"), step("s3", "D")]
        task = asyncio.ensure_future(walk(steps, store, {}, Journal(), concurrency=2, progress=Seen()))
        await asyncio.sleep(0.005)
        gate_b.set()
        gate_a.set()   # both wake in one turn, the later-started first
        await task

    asyncio.run(run())
    assert started == ["s0", "s1", "s2", "s3"]
    assert finished[:2] == ["s0", "s1"]


def test_the_next_ready_step_is_offered_to_the_provider_only_while_every_slot_waits() -> None:
    """Provider.prepare: the step at the head of the ready queue, while `concurrency` steps run, never once
    the walk stopped; the steps still start in plan order."""
    class Preparing(FakeStore):
        def __init__(self) -> None:
            super().__init__(delay=0.005)
            self.offered: list[tuple[str, int, int]] = []   # (sku, steps running, steps started)

        def prepare(self, action: Any, ids: IdRegistry) -> None:
            self.offered.append((action.sku, self.running, len(self.calls)))

    store = Preparing()
    steps = [step(f"s{n}", f"P{n}") for n in range(10)] + [step("s10", "FAIL-X"), step("s11", "BUG")]
    steps += [step("s12", "LATE")]
    outcome = asyncio.run(walk(steps, store, {}, Journal(), concurrency=3))
    assert store.calls == [f"P{n}" for n in range(10)] + ["FAIL-X", "BUG"]   # LATE: not started after the bug
    assert store.offered, "nothing was offered"
    for sku, running, started in store.offered:
        assert running == 3 and sku == steps[started].action.sku   # the next to start, while all 3 slots wait
    assert outcome.steps[12].status.value == "skipped"   # offered maybe, never started


def test_a_journal_failure_met_by_a_ctrl_c_in_the_same_turn_is_still_raised() -> None:
    """The state's write fails while a step's end is settled, and the walk is cancelled in that same turn
    (its Ctrl-C): the walk still raises the failure, and starts nothing after it."""
    store = FakeStore()
    walking: list[asyncio.Future[Any]] = []

    class Cancelling(Journal):
        def record(self, facts: Facts) -> None:
            walking[0].cancel()
            raise OSError(28, "No space left on device")

    async def run() -> None:
        steps = [step(f"s{n}", f"P{n}") for n in range(6)]
        walking.append(asyncio.ensure_future(walk(steps, store, {}, Cancelling(), concurrency=2)))
        with pytest.raises(OSError, match="No space left"):
            await walking[0]

    asyncio.run(run())
    assert store.calls == ["P0", "P1"]
