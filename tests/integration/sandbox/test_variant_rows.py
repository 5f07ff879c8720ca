"""_variant_rows spells a run of variants' numbers once when they hold the very same Decimals, and echo
answers each value's remembered entry (issue 13): the rows and the answer must be as spelled one by one."""

from __future__ import annotations

from decimal import Decimal

from catalogctl.sandbox.groovekart import catalog_write as cw
from catalogctl.sandbox.groovekart import variant_input, wire
from catalogctl.sandbox.groovekart.variant_input import NewValue, NewVariant


def _old_rows(product_id: int, variants: list[NewVariant], last_default: int) -> list[tuple[object, ...]]:
    return [(product_id, variant.sku, wire.six(variant.price), wire.six(variant.compare_price),
             wire.six(variant.weight), variant.weight_unit, int(at == last_default))
            for at, variant in enumerate(variants)]


def test_rows_are_spelled_as_one_by_one() -> None:
    zero, minus_zero, price = Decimal("0"), Decimal("-0"), Decimal("19.5")
    value = NewValue("Size", "select", "S")
    numbers = [(price, zero, zero), (price, zero, zero), (price, minus_zero, zero),
               (Decimal("19.50"), zero, minus_zero), (price, zero, zero),
               (Decimal("1E+2"), Decimal("0.0000005"), Decimal("1.5"))]
    variants = [NewVariant((value,), p, c, f"s{at}", w, "kg", False) for at, (p, c, w) in enumerate(numbers)]
    for last_default in (-1, 0, 3):
        assert cw._variant_rows(7, variants, last_default) == _old_rows(7, variants, last_default)


def _old_echo(variant: NewVariant) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for value in variant.values:
        entry = {"variant_group_type": value.group_type, "variant_name": value.name}
        if value.color:
            entry["color"] = value.color
        if value.texture:
            entry["texture"] = value.texture
        out[value.group] = entry
    return out


def test_echo_is_as_built_one_by_one() -> None:
    values = (NewValue("Color", "color", "Blue", "#0000FF"), NewValue("Size", "select", "S"),
              NewValue("Stuff", "radio", "Wood", "", "https://img.example.com/t.png"), NewValue("Size", "select", "M"))
    for count in range(len(values) + 1):
        variant = NewVariant(values[:count], Decimal(1), Decimal(0), "", Decimal(0), "", False)
        assert variant_input.echo(variant) == _old_echo(variant)
        assert list(variant_input.echo(variant).items()) == list(_old_echo(variant).items())


def test_statements_are_spelled_and_bound_as_before() -> None:
    """insert_rows and known_ids make their statements once per size and flatten their parameters in C: the
    same texts and parameters as when built per call (a recording connection), across the chunk limits."""
    import sqlite3

    from catalogctl.sandbox.groovekart.schema import migrate

    class Recording:
        def __init__(self) -> None:
            self.conn = sqlite3.connect(":memory:", isolation_level=None)
            migrate(self.conn)
            self.calls: list[tuple[str, list[object]]] = []

        def execute(self, sql: str, params: list[object]) -> sqlite3.Cursor:
            self.calls.append((sql, list(params)))
            return self.conn.execute(sql, params)

    insert = "INSERT INTO product_tag (id_product, position, name) VALUES (?, ?, ?)"
    for count in (1, 2, 199, 200, 201, 450):
        rows = [(1000 + count, at, f"t{at}") for at in range(count)]
        recording = Recording()
        cw.insert_rows(recording, insert, rows)  # type: ignore[arg-type]
        head, values = insert.rsplit(" VALUES ", 1)
        assert recording.calls == [
            (f"{head} VALUES {', '.join([values] * len(rows[start:start + 200]))}",
             [field for row in rows[start:start + 200] for field in row]) for start in range(0, count, 200)]
    for count in (1, 2, 299, 300, 301, 700):
        values = [NewValue(f"G{at % 7}", "select", f"v{at}") for at in range(count)]
        recording = Recording()
        cw.known_ids(recording, ["G1", "G2"], values)  # type: ignore[arg-type]
        pairs = list(dict.fromkeys([("G1", None), ("G2", None), *((v.group, v.name) for v in values)]))
        expected = []
        for start in range(0, len(pairs), 300):
            chunk = pairs[start:start + 300]
            expected.append((
                "WITH asked(k, g, a) AS (VALUES " + ", ".join(["(?, ?, ?)"] * len(chunk)) + ")"
                " SELECT asked.k, attribute_group.id, attribute.id FROM asked"
                " JOIN attribute_group ON attribute_group.name = asked.g"
                " LEFT JOIN attribute ON attribute.id_group = attribute_group.id AND attribute.name = asked.a",
                [field for at, (group, name) in enumerate(chunk, start) for field in (at, group, name)]))
        assert recording.calls == expected
