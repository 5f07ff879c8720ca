"""The DAG walk (terraform's walker): run each step once its dependencies are done, at most
`concurrency` at a time, and on a failure start nothing that depends on it.

Independent work goes on after a failure so that one bad product does not hold back the rest;
the outcome lists every step as done, failed (with the store's message) or skipped (with the
step it waited for). A cancellation (a signal through `Interrupt`, or the task cancelled as
asyncio.run does on Ctrl-C) stops new work, lets the steps in flight finish, and still returns
an outcome; a second one (or the end of the grace period) cancels them too.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Protocol

from catalogctl.apply.interrupt import Interrupt
from catalogctl.apply.outcome import Outcome, StepOutcome, StepStatus
from catalogctl.core import Facts, IdRegistry, StepResult
from catalogctl.errors import CatalogError
from catalogctl.plan.dag import DAG
from catalogctl.plan.model import Step
from catalogctl.providers.base import Provider

CANCELLED_IN_FLIGHT = "cancelled in flight: the store may or may not have done it"


class Journal(Protocol):
    """Where the facts a step taught us go (the state file), before the next step is started."""

    def record(self, facts: Facts) -> None: ...

    def flush(self) -> None: ...


class Progress(Protocol):
    def started(self, step: Step) -> None: ...

    def finished(self, step: Step, status: StepStatus, done: int, total: int) -> None: ...


class _Quiet:
    def started(self, step: Step) -> None:
        pass

    def finished(self, step: Step, status: StepStatus, done: int, total: int) -> None:
        pass


async def walk(
    steps: Sequence[Step],
    provider: Provider,
    ids: IdRegistry,
    journal: Journal,
    *,
    target: str = "",
    concurrency: int = 8,
    progress: Progress | None = None,
    interrupt: Interrupt | None = None,
) -> Outcome:
    """Execute `steps` in dependency order; `ids` is updated from each result, facts journaled."""
    walker = _Walk(steps, provider, ids, journal, max(1, concurrency), progress or _Quiet())
    with interrupt.walking(walker) if interrupt is not None else nullcontext():
        outcome = await walker.run(target)
    if interrupt is not None and interrupt.signum is not None:
        outcome = Outcome(outcome.target, outcome.steps, True, outcome.requests, interrupt.name)
    return outcome


class _Walk:
    """The walk's state. A step runs in a lane: a task that, once its step is settled, goes straight on with
    the lowest ready step (issue 13: a task per step, and a walker woken to settle each one, cost a task, a
    future and two turns of the loop between an answer and the next request, 10,000 times). At most
    `concurrency` lanes run; a lane ends when nothing is ready for it, or the walk is stopped."""

    def __init__(self, steps: Sequence[Step], provider: Provider, ids: IdRegistry, journal: Journal,
                 concurrency: int, progress: Progress) -> None:
        dag: DAG[str] = DAG()
        for step in steps:
            dag.add(step.id, step.depends_on)
        dag.check()  # a cycle or a dangling dependency is a bug in the plan: fail before any change
        self.steps = list(steps)
        self.index = {step.id: n for n, step in enumerate(steps)}
        self.dependents: dict[str, list[str]] = {step.id: [] for step in steps}
        self.waiting: dict[str, int] = {}
        for step in steps:
            deps = dag.depends_on(step.id)
            self.waiting[step.id] = len(deps)
            for dep in deps:
                self.dependents[dep].append(step.id)
        self.ready = [self.index[s.id] for s in steps if self.waiting[s.id] == 0]
        heapq.heapify(self.ready)
        self.provider, self.ids, self.journal = provider, ids, journal
        self.concurrency, self.progress = concurrency, progress
        self.results: dict[str, StepOutcome] = {}
        self.running: dict[asyncio.Task[None], Step] = {}   # lane -> the step it runs, until settled
        self._woken: asyncio.Future[None] | None = None   # resolved when the last lane ends
        self._failure: BaseException | None = None   # the walk's own error in a lane (the journal's write)
        self._cancelling = False   # _cancel_running reports the steps cut short, in plan order
        self.stopped: str | None = None   # why no new step may start
        self.interrupted = False
        self.settled = 0

    def stop(self, reason: str) -> None:
        """Start no more steps; those in flight go on."""
        self.interrupted = True
        self.stopped = self.stopped or reason

    def abort(self) -> None:
        """Cancel the steps in flight; each is reported as cancelled (the store may have done it)."""
        for task in self.running:
            task.cancel()

    async def run(self, target: str) -> Outcome:
        before = self.provider.request_count
        try:
            self._start_ready()
            while self.running:
                await self._wait()
                if self._failure is not None:
                    raise self._failure
        finally:
            self.journal.flush()
        outcomes = tuple(self.results.get(s.id) or StepOutcome(s, StepStatus.SKIPPED, self.stopped or "not reached")
                         for s in self.steps)
        return Outcome(target, outcomes, self.interrupted, self.provider.request_count - before)

    def _start_ready(self) -> None:
        """A lane for each ready step, up to `concurrency` in all."""
        loop = None
        while self.stopped is None and self.ready and len(self.running) < self.concurrency:
            step = self.steps[heapq.heappop(self.ready)]
            self.progress.started(step)
            loop = loop or asyncio.get_running_loop()
            lane = loop.create_task(self._lane(step))
            lane.add_done_callback(self._lane_ended)
            self.running[lane] = step

    async def _lane(self, step: Step) -> None:
        lane = asyncio.current_task()
        assert lane is not None
        while True:
            error: BaseException | None = None
            try:
                result = await self.provider.execute(step.action, self.ids)
            except asyncio.CancelledError:
                raise   # _lane_ended reports the step as cancelled in flight
            except (KeyboardInterrupt, SystemExit):
                raise   # as a task of its own let them through
            except BaseException as exc:
                error = exc
            try:
                if error is None:
                    self._succeeded(step, result)
                else:
                    self._failed(step, error)
                step = self._next(lane)
            except BaseException as exc:   # the walk's own failure (writing the journal): the walk raises it
                self.running.pop(lane, None)
                self._failure = self._failure or exc
                self._wake()
                return
            if step is None:
                return

    def _next(self, lane: asyncio.Task[None]) -> Step | None:
        """The lane's next step (the lowest ready one), more lanes for the rest; None: the lane ends."""
        if self.stopped is None and self.ready:
            step = self.steps[heapq.heappop(self.ready)]
            self.progress.started(step)
            self.running[lane] = step
            if self.ready:
                self._start_ready()
            return step
        del self.running[lane]
        return None

    def _lane_ended(self, lane: asyncio.Task[None]) -> None:
        if not self._cancelling:
            step = self.running.pop(lane, None)
            if step is not None:   # cancelled before its step was settled
                self._cut_short(lane, step)
        if not self.running:
            self._wake()

    def _wake(self) -> None:
        woken = self._woken
        if woken is not None and not woken.done():
            woken.set_result(None)

    async def _wait(self) -> None:
        """Until every lane has ended (or a lane failed); a cancellation of the walk stops it."""
        self._woken = asyncio.get_running_loop().create_future()
        try:
            await self._woken
        except asyncio.CancelledError:
            if self.interrupted:   # a second Ctrl-C: stop waiting for the steps in flight
                await self._cancel_running()
                return
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()  # handled here: later awaits (closing connections) must not see it
            self.stop("not started: the apply was interrupted")
        finally:
            self._woken = None

    async def _cancel_running(self) -> None:
        lanes = dict(self.running)
        self._cancelling = True
        for task in lanes:
            task.cancel()
        await asyncio.gather(*lanes, return_exceptions=True)
        for task, step in sorted(lanes.items(), key=lambda item: self.index[item[1].id]):
            if self.running.pop(task, None) is not None:   # not settled by its lane
                self._cut_short(task, step, skipping=False)   # its dependents: "not started", the stop's reason
        self.running.clear()

    def _cut_short(self, lane: asyncio.Task[None], step: Step, *, skipping: bool = True) -> None:
        """A step whose lane ended before settling it: cancelled (or stopped by what a task lets through)."""
        if lane.cancelled():
            self._record(step, StepStatus.FAILED, CANCELLED_IN_FLIGHT)
            if skipping:
                self._skip_dependents(step)
            return
        error = lane.exception()
        self._failed(step, error if error is not None else RuntimeError("the step's lane ended"))

    def _succeeded(self, step: Step, result: StepResult) -> None:
        self.ids.update(result.ids)
        self.journal.record(result.facts)
        self._record(step, StepStatus.DONE)
        for dependent in self.dependents[step.id]:
            self.waiting[dependent] -= 1
            if self.waiting[dependent] == 0:
                heapq.heappush(self.ready, self.index[dependent])

    def _failed(self, step: Step, error: BaseException) -> None:
        if isinstance(error, CatalogError):
            self._record(step, StepStatus.FAILED, error.message)
        else:  # a bug in a provider: report it, and start nothing more
            self._record(step, StepStatus.FAILED, f"unexpected {type(error).__name__}: {error}")
            self.stopped = self.stopped or f"not started: step {step.id} failed unexpectedly"
        self._skip_dependents(step)

    def _skip_dependents(self, failed: Step) -> None:
        stack = list(self.dependents[failed.id])
        while stack:
            step_id = stack.pop()
            if step_id in self.results:
                continue
            self.results[step_id] = StepOutcome(self.steps[self.index[step_id]], StepStatus.SKIPPED,
                                                f"depends on {failed.id}, which failed")
            stack.extend(self.dependents[step_id])

    def _record(self, step: Step, status: StepStatus, error: str | None = None) -> None:
        self.results[step.id] = StepOutcome(step, status, error)
        self.settled += 1
        self.progress.finished(step, status, self.settled, len(self.steps))
