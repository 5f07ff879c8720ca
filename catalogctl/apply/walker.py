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
        # Steps by their index in the plan: a step's id is read here once, not at each start, settle and
        # record (issue 13: each read passes through the pydantic model's __getattr__ hook, ~12 a step)
        step_ids = [step.id for step in self.steps]
        self.index = index = {step_id: n for n, step_id in enumerate(step_ids)}
        self.position = position = [index[step_id] for step_id in step_ids]   # n -> index[steps[n].id]
        self.dependents: list[list[int]] = [[] for _ in step_ids]
        self.waiting: list[int] = [0] * len(step_ids)
        for n, step_id in enumerate(step_ids):
            deps = dag.depends_on(step_id)
            self.waiting[position[n]] = len(deps)
            for dep in deps:
                self.dependents[index[dep]].append(position[n])
        self.ready = [position[n] for n in range(len(step_ids)) if self.waiting[position[n]] == 0]
        heapq.heapify(self.ready)
        self.provider, self.ids, self.journal = provider, ids, journal
        self.concurrency, self.progress = concurrency, progress
        self.results: list[StepOutcome | None] = [None] * len(step_ids)   # by index
        self.running: dict[asyncio.Task[StepResult], int] = {}   # each running step's index
        self._woken: asyncio.Future[None] | None = None   # pending while the walk waits in _wait
        self._error: BaseException | None = None   # what settling in a done callback raised, for the walk to raise
        self._preparing = False   # a call of _prepare is due
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
        results, position = self.results, self.position
        outcomes = tuple(results[position[n]] or StepOutcome(s, StepStatus.SKIPPED, self.stopped or "not reached")
                         for n, s in enumerate(self.steps))
        return Outcome(target, outcomes, self.interrupted, self.provider.request_count - before)

    def _start_ready(self) -> None:
        while self.stopped is None and self.ready and len(self.running) < self.concurrency:
            n = heapq.heappop(self.ready)
            step = self.steps[n]
            self.progress.started(step)
            task = asyncio.ensure_future(self.provider.execute(step.action, self.ids))
            task.add_done_callback(self._wake)
            self.running[task] = n
        if self.stopped is None and self.ready and not self._preparing:   # every slot taken
            self._preparing = True
            asyncio.get_running_loop().call_soon(self._prepare)   # after the steps just started have sent

    def _prepare(self) -> None:
        """While every slot waits: the provider may make the next ready step's request ahead (a freed slot
        then only sends it, issue 13)."""
        self._preparing = False
        if self.stopped is None and self.ready and len(self.running) >= self.concurrency:
            self.provider.prepare(self.steps[self.ready[0]].action, self.ids)

    def _wake(self, task: asyncio.Task[StepResult]) -> None:
        """A step's done callback. While the walk waits in _wait, the walk's turn is taken here: every step
        that has ended is settled (journaled) in plan order and the ready ones started, a turn of the loop
        and a wake of the walk's task sooner than the walk itself would (issue 13: the slot idles meanwhile).
        The walk's task is woken only when nothing runs any more, or to raise what settling raised."""
        woken = self._woken
        if woken is None or woken.done():   # the walk is not waiting (a Ctrl-C is handled): it settles itself
            return
        try:
            self._settle_finished()
            self._start_ready()
        except BaseException as error:   # raised by the walk's task, as when it settled there (_wait)
            self._error = error
            if not woken.done():   # (a Ctrl-C may have cancelled it meanwhile: the walk raises it all the same)
                woken.set_result(None)   # done: no later callback settles or starts anything
            return
        if not self.running and not woken.done():
            woken.set_result(None)

    async def _wait(self) -> None:
        """Until no step runs (the done callbacks settle and start steps meanwhile, _wake) or a Ctrl-C;
        the steps that ended before it waits, or while a Ctrl-C was handled, are settled here."""
        self._raise_pending()   # a Ctrl-C may have come between a callback's failure and the walk's wake
        if not any(task.done() for task in self.running):
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
            self._raise_pending()
        self._settle_finished()

    def _raise_pending(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

    def _settle_finished(self) -> None:
        """Settle every running step that has ended, in plan order (those that end in one turn of the loop
        are settled together: asyncio.wait(FIRST_COMPLETED) returned them so; it added and removed a
        callback on every running task each time, issue 13)."""
        finished = [task for task in self.running if task.done()]
        if len(finished) > 1:
            finished.sort(key=self.running.__getitem__)
        for task in finished:
            self._settle(task, self.running.pop(task))

    async def _cancel_running(self) -> None:
        for task in self.running:
            task.cancel()
        await asyncio.gather(*self.running, return_exceptions=True)
        for task, n in sorted(self.running.items(), key=lambda item: item[1]):
            if task.cancelled():
                self._record(n, StepStatus.FAILED, CANCELLED_IN_FLIGHT)
            else:
                self._settle(task, n)
        self.running.clear()

    def _settle(self, task: asyncio.Task[StepResult], n: int) -> None:
        """The step at index `n` ended as `task` says."""
        if task.cancelled():
            self._record(n, StepStatus.FAILED, CANCELLED_IN_FLIGHT)
            self._skip_dependents(n)
            return
        error = task.exception()
        if error is None:
            result = task.result()
            self.ids.update(result.ids)
            self.journal.record(result.facts)
            self._record(n, StepStatus.DONE)
            waiting = self.waiting
            for dependent in self.dependents[n]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    heapq.heappush(self.ready, dependent)
            return
        if isinstance(error, CatalogError):
            self._record(n, StepStatus.FAILED, error.message)
        else:  # a bug in a provider: report it, and start nothing more
            self._record(n, StepStatus.FAILED, f"unexpected {type(error).__name__}: {error}")
            self.stopped = self.stopped or f"not started: step {self.steps[n].id} failed unexpectedly"
        self._skip_dependents(n)

    def _skip_dependents(self, failed: int) -> None:
        stack = list(self.dependents[failed])
        while stack:
            n = stack.pop()
            if self.results[n] is not None:
                continue
            self.results[n] = StepOutcome(self.steps[n], StepStatus.SKIPPED,
                                          f"depends on {self.steps[failed].id}, which failed")
            stack.extend(self.dependents[n])

    def _record(self, n: int, status: StepStatus, error: str | None = None) -> None:
        step = self.steps[n]
        self.results[n] = StepOutcome(step, status, error)
        self.settled += 1
        self.progress.finished(step, status, self.settled, len(self.steps))
