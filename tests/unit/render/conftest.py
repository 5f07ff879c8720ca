import sys
from pathlib import Path

# importlib import mode: share the resource builders of the planner tests and the realistic plan here.
HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "plan")]
