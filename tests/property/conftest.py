import sys
from pathlib import Path

# importlib import mode: share the CLI/catalog helpers of the apply integration tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "apply"))
