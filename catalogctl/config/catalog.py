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
from catalogctl.heap import big_heap


@dataclass(frozen=True)
class CheckResult:
    """A catalog (the items that passed schema checks) and every problem found, in file order."""

    catalog: Catalog
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


@dataclass(frozen=True)
class _Checked:
    """A catalog read and schema-checked, with the problems found so far (files, templates, schema): all but
    the cross-item rules', which check_catalog and load_catalog each ask for in their own way."""

    catalog: Catalog
    problems: list[Problem]
    files: tuple[Path, ...]


# A load allocates a big heap of acyclic objects that live on (the parsed items, the models, each matrix's
# expanded variants): with the cyclic collector on, its young and full collections walked them again and again
# and found nothing to free (1.2 G of the 10.1 G instructions of load_catalog at 10,000 products, callgrind).
# So the load runs in heap.big_heap, as plan, apply and validate already run it (where this one does nothing
# more): no collection inside, and after it what it built is moved to the oldest generation without a walk
# (when it is big: see heap._age_without_walking). Only when the collector runs changes, never what is kept.
def check_catalog(path: Path | str, counted: Callable[[int], None] | None = None) -> CheckResult:
    """Load and validate the catalog under `path`; never raises for a problem in the catalog.
    `counted` hears the number of products as soon as the files are parsed (before any check)."""
    with big_heap():  # see above check_catalog
        return _reported(_checked(Path(path), counted))


def _checked(path: Path, counted: Callable[[int], None] | None) -> _Checked:
    raw = load_raw(path)
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
    return _Checked(catalog, problems, tuple(raw.files))


def _reported(checked: _Checked) -> CheckResult:
    """Every problem of the checked catalog, notes too, sorted and explained as `validate` shows them."""
    problems = list(checked.problems)
    if checked.files:  # cross-item rules still run on the items that passed, so one run shows everything
        problems.extend(semantic_problems(checked.catalog))
    return CheckResult(checked.catalog, tuple(explain(sort_problems(problems))), checked.files)


def load_catalog(path: Path | str, counted: Callable[[int], None] | None = None) -> Catalog:
    """The validated catalog under `path`; raises InvalidCatalog (a ConfigError) listing every error.

    A valid catalog's problems are dropped unread, so the cross-item rules first run without their notes (one
    per product without a default variant, each located in the YAML), and nothing is sorted or explained.
    Only when that finds an error do the rules run again with notes, on the same catalog (not read again),
    so that the error lists exactly what check_catalog says.
    """
    with big_heap():  # see above check_catalog
        checked = _checked(Path(path), counted)
        quiet = semantic_problems(checked.catalog, notes=False) if checked.files else []
    if not any(problem.is_error for problem in checked.problems) and not any(problem.is_error for problem in quiet):
        return checked.catalog
    result = _reported(checked)
    if result.ok:  # as before, what decides is the explained list (explain merges, it never makes an error)
        return result.catalog
    raise InvalidCatalog(result.problems)
