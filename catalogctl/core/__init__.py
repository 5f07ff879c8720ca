"""Provider-neutral data the planner, the applier, the state and every provider share."""

from catalogctl.core.capabilities import Capabilities, DeleteMode, KindCapabilities
from catalogctl.core.live import Facts, IdRegistry, LiveState
from catalogctl.core.results import StepResult

__all__ = ["Capabilities", "DeleteMode", "Facts", "IdRegistry", "KindCapabilities", "LiveState", "StepResult"]
