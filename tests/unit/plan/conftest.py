import sys
from pathlib import Path

# importlib import mode: make the shared builders in planfixtures.py importable by plan and render tests.
sys.path.insert(0, str(Path(__file__).parent))
