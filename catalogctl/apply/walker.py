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
        self.running: dict[asyncio.Task[StepResult], Step] = {}
        self._woken: asyncio.Future[None] | None = None   # resolved by the first running step that ends
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
            while True:
                self._start_ready()
                if not self.running:
                    break
                await self._wait()
        finally:
            self.journal.flush()
        outcomes = tuple(self.results.get(s.id) or StepOutcome(s, StepStatus.SKIPPED, self.stopped or "not reached")
                         for s in self.steps)
        return Outcome(target, outcomes, self.interrupted, self.provider.request_count - before)

    def _start_ready(self) -> None:
        while self.stopped is None and self.ready and len(self.running) < self.concurrency:
            step = self.steps[heapq.heappop(self.ready)]
            self.progress.started(step)
            task = asyncio.ensure_future(self.provider.execute(step.action, self.ids))
            task.add_done_callback(self._wake)
            self.running[task] = step

    def _wake(self, task: asyncio.Task[StepResult]) -> None:
        woken = self._woken
        if woken is not None and not woken.done():
            woken.set_result(None)

    async def _wait(self) -> None:
        """Until a running step ends; then settle every one that has (asyncio.wait(FIRST_COMPLETED) did
        this, adding and removing a callback on every running task each time: issue 13, ~10,000 times)."""
        finished = [task for task in self.running if task.done()]
        if not finished:
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
                return
            finally:
                self._woken = None
            finished = [task for task in self.running if task.done()]
        for task in sorted(finished, key=lambda t: self.index[self.running[t].id]):
            self._settle(task, self.running.pop(task))

    async def _cancel_running(self) -> None:
        for task in self.running:
            task.cancel()
        await asyncio.gather(*self.running, return_exceptions=True)
        for task, step in sorted(self.running.items(), key=lambda item: self.index[item[1].id]):
            if task.cancelled():
                self._record(step, StepStatus.FAILED, CANCELLED_IN_FLIGHT)
            else:
                self._settle(task, step)
        self.running.clear()

    def _settle(self, task: asyncio.Task[StepResult], step: Step) -> None:
        if task.cancelled():
            self._record(step, StepStatus.FAILED, CANCELLED_IN_FLIGHT)
            self._skip_dependents(step)
            return
        error = task.exception()
        if error is None:
            result = task.result()
            self.ids.update(result.ids)
            self.journal.record(result.facts)
            self._record(step, StepStatus.DONE)
            for dependent in self.dependents[step.id]:
                self.waiting[dependent] -= 1
                if self.waiting[dependent] == 0:
                    heapq.heappush(self.ready, self.index[dependent])
            return
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
