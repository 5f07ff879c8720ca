"""The public entry points: check a catalog directory (all problems) or load it (raise if invalid)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from catalogctl.config.diagnostics import problems_from
from catalogctl.config.loader import load_raw
from catalogctl.config.models import SECTION_MODELS, Catalog
from catalogctl.config.problems import InvalidCatalog, Problem, Severity, sort_problems
from catalogctl.config.templates import apply_templates, explain
from catalogctl.config.validate import semantic_problems


@dataclass(frozen=True)
class CheckResult:
    """A catalog (the items that passed schema checks) and every problem found, in file order."""

    catalog: Catalog
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


def check_catalog(path: Path | str, counted: Callable[[int], None] | None = None) -> CheckResult:
    """Load and validate the catalog under `path`; never raises for a problem in the catalog.
    `counted` hears the number of products as soon as the files are parsed (before any check)."""
    raw = load_raw(Path(path))
    if counted is not None:
        counted(len(raw.sections["products"]))
    problems = list(raw.problems)
    applied = apply_templates(raw.sections["templates"], raw.sections["products"])
    problems += applied.problems
    items = {**raw.sections, "products": applied.products, "templates": applied.templates}
    sections: dict[str, list[object]] = {name: [] for name in SECTION_MODELS}
    for name, model in SECTION_MODELS.items():
        for item in items[name]:
            try:
                parsed = model.model_validate(item.data)
            except ValidationError as exc:
                problems.extend(problems_from(exc, model, item.origin, name))
                continue
            parsed._origin = item.origin
            sections[name].append(parsed)
    store = sections.pop("store")
    catalog = Catalog.model_construct(store=store[0] if store else None, **sections)
    if raw.files:  # cross-item rules still run on the items that passed, so one run shows everything
        problems.extend(semantic_problems(catalog))
    return CheckResult(catalog, tuple(explain(sort_problems(problems))), tuple(raw.files))


def load_catalog(path: Path | str, counted: Callable[[int], None] | None = None) -> Catalog:
    """The validated catalog under `path`; raises InvalidCatalog (a ConfigError) listing every error."""
    result = check_catalog(path, counted)
    if not result.ok:
        raise InvalidCatalog(result.problems)
    return result.catalog
