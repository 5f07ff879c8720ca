"""The catalog as YAML: loading with positions, the format's models, validation, JSON Schema.

Public entry points (stable, used by plan and import):
- `load_catalog(path) -> Catalog`: raises InvalidCatalog (a ConfigError) listing every error.
- `check_catalog(path) -> CheckResult`: the catalog and every problem, never raises for catalog faults.
"""

from catalogctl.config.catalog import CheckResult, check_catalog, load_catalog
from catalogctl.config.models import Catalog, origin_of
from catalogctl.config.problems import InvalidCatalog, Problem, Severity

__all__ = [
    "Catalog", "CheckResult", "InvalidCatalog", "Problem", "Severity", "check_catalog", "load_catalog", "origin_of",
]
