"""state: the per-target facts file (atomic writes), its journal during apply, and the apply lock."""

from catalogctl.state.file import State, atomic_write, load_state
from catalogctl.state.journal import StateJournal
from catalogctl.state.lock import TargetLock

__all__ = ["State", "StateJournal", "TargetLock", "atomic_write", "load_state"]
