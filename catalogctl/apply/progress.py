"""Progress of an apply on stderr: `[done/total] status step` lines.

With --verbose every step gets a line. Otherwise a long apply (more than LONG steps) shows one
line that rewrites itself on a terminal, or a line about every 5% of the steps when stderr is
a file or a CI log; failures always get their own line.
"""

from __future__ import annotations

import sys
from typing import TextIO

from catalogctl.apply.outcome import StepStatus, describe
from catalogctl.plan.model import Step

LONG = 20


class StderrProgress:
    def __init__(self, total: int, *, verbose: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.verbose = verbose
        self.enabled = verbose or total > LONG
        self.live = self.enabled and not verbose and self.stream.isatty()
        self.every = max(1, total // 20)

    def started(self, step: Step) -> None:
        if self.verbose:
            self._line(f"start   {describe(step)}")

    def finished(self, step: Step, status: StepStatus, done: int, total: int) -> None:
        if not self.enabled:
            return
        # The line is built only when it is shown: a 10,000-step apply in CI shows 20 of them.
        if self.verbose or status is StepStatus.FAILED:
            self._line(self._text(step, status, done, total))
        elif self.live:
            self.stream.write("\r\033[K" + self._text(step, status, done, total)[:160])
            self.stream.flush()
        elif done % self.every == 0 or done == total:
            self._line(self._text(step, status, done, total))

    @staticmethod
    def _text(step: Step, status: StepStatus, done: int, total: int) -> str:
        return f"[{done}/{total}] {status.value:<7} {describe(step)}"

    def close(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _line(self, text: str) -> None:
        if self.live:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        self.stream.flush()
