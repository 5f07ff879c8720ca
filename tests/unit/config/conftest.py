import sys
from pathlib import Path

# importlib import mode: make the shared strategies in product_strategies.py importable by the tests here.
sys.path.insert(0, str(Path(__file__).parent))
