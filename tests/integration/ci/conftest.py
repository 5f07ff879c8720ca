import sys
from pathlib import Path

# importlib import mode: make the shared helpers in this directory importable by the tests here.
sys.path.insert(0, str(Path(__file__).parent))
