import pytest

from catalogctl.errors import InternalError
from catalogctl.plan.dag import DAG


def test_order_follows_insertion_when_it_respects_dependencies() -> None:
    dag: DAG[str] = DAG()
    for node, deps in [("cats", []), ("groups", []), ("p1", ["cats", "groups"]), ("img", ["p1"]), ("hook", [])]:
        dag.add(node, deps)
    assert dag.order() == ["cats", "groups", "p1", "img", "hook"]


def test_order_moves_a_node_after_a_later_inserted_dependency_deterministically() -> None:
    dag: DAG[str] = DAG()
    dag.add("b", ["z"])
    dag.add("a")
    dag.add("z")
    assert dag.order() == ["a", "z", "b"]
    assert dag.order() == ["a", "z", "b"]


def test_a_cycle_is_an_internal_error_that_names_it() -> None:
    dag: DAG[str] = DAG()
    dag.add("start")
    dag.add("x", ["start", "z"])
    dag.add("y", ["x"])
    dag.add("z", ["y"])
    with pytest.raises(InternalError, match=r"dependency cycle in the plan: x -> z -> y -> x"):
        dag.order()


def test_a_missing_dependency_is_an_internal_error() -> None:
    dag: DAG[str] = DAG()
    dag.add("p1", ["cats"])
    with pytest.raises(InternalError, match="p1 depends on cats, which is not in the plan"):
        dag.check()


def test_ready_and_descendants_drive_a_walk_that_skips_after_a_failure() -> None:
    dag: DAG[str] = DAG()
    dag.add("cats")
    dag.add("p1", ["cats"])
    dag.add("p2", ["cats"])
    dag.add("img", ["p1"])
    dag.add("hook")
    assert dag.ready(set()) == ["cats", "hook"]
    assert dag.ready({"cats"}, started={"hook"}) == ["p1", "p2"]
    assert dag.ready({"cats", "p1", "p2", "hook"}) == ["img"]
    assert dag.descendants("cats") == {"p1", "p2", "img"}
    assert dag.descendants("hook") == set()


def test_adding_a_node_twice_merges_its_dependencies_and_ignores_self_loops() -> None:
    dag: DAG[int] = DAG()
    dag.add(1)
    dag.add(2)
    dag.add(3, [1])
    dag.add(3, [2, 3])
    assert dag.depends_on(3) == (1, 2)
    assert len(dag) == 3 and 3 in dag
