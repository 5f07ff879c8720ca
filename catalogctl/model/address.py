"""Addresses: the identity of every resource, built from natural keys (DESIGN.md)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """Resource kinds, in the store's language."""

    CATEGORY = "category"
    VARIANT_GROUP = "variant_group"
    PRODUCT = "product"
    VARIANT = "variant"
    IMAGE = "image"
    WEBHOOK = "webhook"
    # Store-level kinds for providers beyond the catalog (core/kinds.py describes each).
    STORE = "store"
    STAFF_USER = "staff_user"


_KIND_TEXT = {kind: kind.value for kind in Kind}
# Kind.IMAGE is a Python-level EnumType.__getattr__ call in 3.11 (~12 times a local's read): read once here
_IMAGE, _PRODUCT = Kind.IMAGE, Kind.PRODUCT

# Kinds that live inside a product; the rest are top level.
CHILD_KINDS = frozenset({Kind.VARIANT, Kind.IMAGE})


@dataclass(frozen=True, order=True, slots=True, init=False)
class Address:
    """`product["TS-1"]`, `product["TS-1"].variant["Color=Blue,Size=L"]`, `product["TS-1"].image[0]`.

    `key` is the natural key: a title, name or sku; for a variant the values joined as
    `Group=Value,...` in the product's option order; for an image its position (str of int).
    """

    kind: Kind
    key: str
    parent: Address | None = None
    # Addresses are dict keys by the hundred thousand in a large plan: the hash once, the text
    # (a json.dumps) only when something prints or sorts it.
    _hash: int = field(init=False, repr=False, compare=False)
    _text: str | None = field(init=False, repr=False, compare=False, default=None)

    def __init__(self, kind: Kind, key: str, parent: Address | None = None) -> None:
        if (kind in CHILD_KINDS) != (parent is not None):
            raise ValueError(f"{kind} addresses {'need' if parent is None else 'take no'} parent")
        # The slots written directly (a frozen dataclass's own __init__ goes through object.__setattr__
        # by name: a large plan builds 240,000 addresses); the parent's hash read, not asked for.
        _SET_KIND(self, kind)
        _SET_KEY(self, key)
        _SET_PARENT(self, parent)
        _SET_HASH(self, hash((kind, key, None if parent is None else parent._hash)))
        _SET_TEXT(self, None)

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[Address], tuple[Kind, str, Address | None]]:
        # Built again when unpickled or copied: a str's hash differs from one process to the next.
        return (Address, (self.kind, self.key, self.parent))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not Address:
            return NotImplemented
        if self._hash != other._hash or self.kind is not other.kind or self.key != other.key:
            return False
        mine, theirs = self.parent, other.parent  # a product, compared here rather than by a second call
        return mine is theirs or (mine is not None and theirs is not None and mine._hash == theirs._hash
                                  and mine.kind is theirs.kind and mine.key == theirs.key
                                  and mine.parent == theirs.parent)

    def __str__(self) -> str:
        text = self._text
        if text is None:
            kind = _KIND_TEXT[self.kind]  # Enum.value is a Python-level descriptor: slow by the 100,000
            own = f"{kind}[{self.key}]" if self.kind is _IMAGE else f"{kind}[{_quoted(self.key)}]"
            text = own if self.parent is None else f"{self.parent}.{own}"
            _SET_TEXT(self, text)
        return text

    @property
    def product(self) -> Address | None:
        """The product this address belongs to (itself for a product)."""
        if self.kind is _PRODUCT:
            return self
        return self.parent

    @classmethod
    def category(cls, title: str) -> Address:
        return cls(Kind.CATEGORY, title)

    @classmethod
    def variant_group(cls, name: str) -> Address:
        return cls(Kind.VARIANT_GROUP, name)

    @classmethod
    def for_product(cls, sku: str) -> Address:
        if cls is not Address:
            return cls(Kind.PRODUCT, sku)
        return child(_PRODUCT, sku, None)   # both sides of a 10,000-product plan: 20,000

    @classmethod
    def webhook(cls, name: str) -> Address:
        return cls(Kind.WEBHOOK, name)

    @classmethod
    def variant(cls, sku: str, values: tuple[tuple[str, str], ...]) -> Address:
        """Variant of product `sku`, identified by its (group, value) pairs in option order."""
        return cls(Kind.VARIANT, variant_key(values), cls.for_product(sku))

    @classmethod
    def image(cls, sku: str, position: int) -> Address:
        return cls(Kind.IMAGE, str(position), cls.for_product(sku))

    @classmethod
    def parse(cls, text: str) -> Address:
        """Parse the string form back; raises ValueError with the expected shape."""
        address: Address | None = None
        position = 0
        while position < len(text):
            match = _SEGMENT.match(text, position)
            if match is None or (position == 0) != (match.group(1) == ""):
                raise ValueError(
                    f"{text!r} is not an address; expected e.g. product[\"TS-1\"] or "
                    f"product[\"TS-1\"].variant[\"Color=Blue,Size=L\"]"
                )
            try:
                kind = Kind(match.group(2))
            except ValueError:
                raise ValueError(f"unknown resource kind {match.group(2)!r} in {text!r}") from None
            quoted, number = match.group(3), match.group(4)
            address = cls(kind, json.loads(quoted) if quoted else number, address)
            position = match.end()
        if address is None:
            raise ValueError("an empty string is not an address")
        assert address is not None
        return address


_SET_KIND, _SET_KEY, _SET_PARENT, _SET_HASH, _SET_TEXT = (
    Address.__dict__[name].__set__ for name in ("kind", "key", "parent", "_hash", "_text"))


class _Unfrozen:
    """Address's slots, in its order, without its frozen __setattr__: `child` fills one with plain attribute
    stores and then makes it an Address (the same layout, so `__class__` may be assigned)."""

    __slots__ = Address.__slots__


_new = object.__new__


def child(kind: Kind, key: str, parent: Address | None) -> Address:
    """`Address(kind, key, parent)` for a child kind (variant, image) of `parent`, or for a top-level kind with no
    parent (a product), unchecked, in a little over half the instructions (callgrind, made and freed: 6,400 ->
    3,600): Address() is a type call into a Python __init__ whose five slot writes each go through a method-wrapper
    (670 instructions apiece); a store to a plain slot is a specialized bytecode, and the class assignment ~400.
    The desired and the live resources of a 10,000-product store hold 240,000 such addresses."""
    address = _new(_Unfrozen)
    address.kind = kind
    address.key = key
    address.parent = parent
    address._hash = hash((kind, key, None if parent is None else parent._hash))
    address._text = None
    address.__class__ = Address  # type: ignore[assignment]
    return address  # type: ignore[return-value]


_SEGMENT = re.compile(r'(\.?)([a-z_]+)\[(?:("(?:[^"\\]|\\.)*")|(\d+))\]')


def _quoted(key: str) -> str:
    """json.dumps(key, ensure_ascii=False): json escapes only quotes, backslashes and control characters,
    so a printable key without either is its own JSON body (the dumps call was most of an address's text)."""
    if key.isprintable() and '"' not in key and "\\" not in key:
        return f'"{key}"'
    return json.dumps(key, ensure_ascii=False)


def text_under(address: Address, prefix: str) -> str:
    """str(address) for a child whose parent's text and a dot are `prefix`, made and kept as __str__ makes
    it, without a call to the parent's __str__ per child (a new product's children: 110,000 in a
    10,000-product create plan, each turned to text once)."""
    text = address._text
    if text is None:
        kind, key = address.kind, address.key
        if kind is _IMAGE:
            text = f"{prefix}{_KIND_TEXT[kind]}[{key}]"
        elif key.isprintable() and '"' not in key and "\\" not in key:   # _quoted, inline
            text = f'{prefix}{_KIND_TEXT[kind]}["{key}"]'
        else:
            text = f"{prefix}{_KIND_TEXT[kind]}[{_quoted(key)}]"
        _SET_TEXT(address, text)
    return text


def variant_key(values: tuple[tuple[str, str], ...]) -> str:
    """`(("Color","Blue"),("Size","L"))` -> `Color=Blue,Size=L`."""
    return ",".join([group + "=" + value for group, value in values])
