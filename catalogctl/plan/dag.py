"""A small generic DAG: deterministic topological order, cycles named, and a `ready` query
for a walker with bounded concurrency (the applier)."""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Set
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from catalogctl.errors import InternalError

N = TypeVar("N", bound=Hashable)


@dataclass
class DAG(Generic[N]):
    """Nodes in insertion order, each with the nodes it depends on.

    `add(node, deps)` records a node; deps may be added before or after their dependents, but
    every dep must exist by the time `order()` / `ready()` / `check()` runs.
    """

    _deps: dict[N, tuple[N, ...]] = field(default_factory=dict)

    def add(self, node: N, depends_on: Iterable[N] = ()) -> None:
        """Add `node` (again: its dependencies are merged) depending on `depends_on`."""
        previous = self._deps.get(node, ())
        merged = dict.fromkeys((*previous, *depends_on))
        merged.pop(node, None)
        self._deps[node] = tuple(merged)

    def __contains__(self, node: object) -> bool:
        return node in self._deps

    def __len__(self) -> int:
        return len(self._deps)

    @property
    def nodes(self) -> tuple[N, ...]:
        return tuple(self._deps)

    def depends_on(self, node: N) -> tuple[N, ...]:
        return self._deps[node]

    def check(self) -> None:
        """Raise InternalError for a dependency on an unknown node or for a cycle."""
        self.order()

    def order(self) -> list[N]:
        """Topological order; among nodes that are ready together, insertion order wins.

        Kahn's algorithm with a cursor over insertion order, so the result is deterministic
        and equals insertion order whenever insertion already respects the dependencies.
        """
        self._check_missing()
        index = {node: i for i, node in enumerate(self._deps)}
        waiting = {node: len(deps) for node, deps in self._deps.items()}
        dependents: dict[N, list[N]] = {node: [] for node in self._deps}
        for node, deps in self._deps.items():
            for dep in deps:
                dependents[dep].append(node)
        heap = [index[node] for node, count in waiting.items() if count == 0]
        heapq.heapify(heap)
        nodes = list(self._deps)
        result: list[N] = []
        while heap:
            node = nodes[heapq.heappop(heap)]
            result.append(node)
            for dependent in dependents[node]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    heapq.heappush(heap, index[dependent])
        if len(result) != len(nodes):
            raise InternalError(f"dependency cycle in the plan: {' -> '.join(map(str, self._find_cycle()))}")
        return result

    def ready(self, done: Set[N], started: Set[N] = frozenset()) -> list[N]:
        """Nodes not done nor started whose dependencies are all done, in insertion order."""
        return [
            node for node, deps in self._deps.items()
            if node not in done and node not in started and all(dep in done for dep in deps)
        ]

    def descendants(self, node: N) -> set[N]:
        """Every node that depends on `node`, directly or not (what a failure must skip)."""
        dependents: dict[N, list[N]] = {n: [] for n in self._deps}
        for n, deps in self._deps.items():
            for dep in deps:
                dependents[dep].append(n)
        seen: set[N] = set()
        stack = list(dependents[node])
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(dependents[current])
        return seen

    def _check_missing(self) -> None:
        for node, deps in self._deps.items():
            for dep in deps:
                if dep not in self._deps:
                    raise InternalError(f"{node} depends on {dep}, which is not in the plan")

    def _find_cycle(self) -> list[N]:
        """One cycle, first node repeated at the end: a -> b -> a."""
        state: dict[N, int] = {}  # 1 = on the current path, 2 = finished
        for root in self._deps:
            if root in state:
                continue
            path: list[N] = [root]
            iters = [iter(self._deps[root])]
            state[root] = 1
            while path:
                dep = next(iters[-1], None)
                if dep is None:
                    state[path.pop()] = 2
                    iters.pop()
                elif state.get(dep) == 1:
                    return [*path[path.index(dep):], dep]
                elif dep not in state:
                    state[dep] = 1
                    path.append(dep)
                    iters.append(iter(self._deps[dep]))
        return []
