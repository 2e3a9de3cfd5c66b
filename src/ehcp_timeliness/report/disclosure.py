"""Small-number suppression that holds (docs/reports.md#disclosure-control), after DfE's
statistical disclosure control practice: primary suppression hides every count from 1 to
N − 1; secondary suppression then hides more cells wherever the shown figures would give a
hidden one back, because the cells of a table add up (Issued = ≤20 wks + 20–52 wks + 52+,
a row of groups adds up to the authority's figure, a month-end stock is last month's plus
what came in less what left), or the same figure appears twice.

Every figure a pack shows is a cell of one pool, named by a key; every identity between them
is a Relation. The pool is solved once (protect), so the same figure is hidden in every
table, chart and file that shows it. Two guarantees, each tested (tests/report/
test_disclosure.py): no relation has exactly one hidden cell (so none is a difference of
shown ones), and no hidden cell is determined by all the relations together (exact linear
algebra over the hidden cells). Secondary cells are chosen as DfE does: the smallest
non-zero shown cell of the relation, a zero only when nothing else is left.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

import polars as pl

Key = Hashable


def is_small(value: int | None, threshold: int) -> bool:
    """Primary suppression: a count from 1 to THRESHOLD − 1 (zeros are shown, as DfE's)."""
    return value is not None and threshold > 1 and 1 <= value < threshold


@dataclass(frozen=True)
class Relation:
    """Σ coefficient × cell = 0: an identity among the pool's cells a reader could solve."""

    cells: tuple[tuple[Key, int], ...]

    @classmethod
    def total(cls, total: Key, parts: Iterable[Key]) -> Relation:
        """TOTAL = the sum of PARTS."""
        return cls(((total, -1), *((p, 1) for p in parts)))

    @classmethod
    def same(cls, a: Key, b: Key) -> Relation:
        """One figure shown in two places."""
        return cls(((a, 1), (b, -1)))

    @property
    def keys(self) -> tuple[Key, ...]:
        return tuple(k for k, _ in self.cells)


def protect(values: Mapping[Key, int | None], threshold: int,
            relations: Sequence[Relation], fixed: Collection[Key] = (),
            rate_parts: Collection[Key] = (), expendable: Collection[Key] = ()
            ) -> frozenset[Key]:
    """The keys to show as `c`: the small counts, and the fewest-and-smallest further cells
    that leave none of them recoverable through RELATIONS. FIXED: cells published elsewhere
    unsuppressed (never hidden here). RATE_PARTS: cells a percentage is built on, hidden
    for secondary suppression only after the other non-zero cells of a relation (hiding one
    hides its rate too). EXPENDABLE: cells hidden for secondary suppression before the other
    non-zero cells of a relation (those whose loss costs the reader least). A relation
    naming a cell not in VALUES is dropped: the reader does not know that cell, so the
    relation gives nothing away."""
    if threshold <= 1:
        return frozenset()
    order = {k: i for i, k in enumerate(values)}
    hidden = {k for k, v in values.items() if is_small(v, threshold) and k not in fixed}
    usable = [r for r in relations if all(k in order for k in r.keys)]
    stuck: set[Key] = set()
    while hidden:
        lone = [r for r in usable if sum(k in hidden for k in r.keys) == 1]
        exposed = [r for r in lone if not any(k in stuck for k in r.keys)]
        if not exposed:
            found = {k: v for k, v in _recoverable(hidden, usable, order).items()
                     if k not in stuck}
            if not found:
                break
            cell = min(found, key=order.__getitem__)
            # The shown cells its solution reads: hiding one of them breaks it.
            if not _hide_partner(found[cell], values, hidden, fixed, order, rate_parts,
                                 expendable):
                stuck.add(cell)
            continue
        relation = exposed[0]
        if not _hide_partner(relation.keys, values, hidden, fixed, order, rate_parts,
                             expendable):
            stuck.update(k for k in relation.keys if k in hidden)
    return frozenset(hidden)


def _hide_partner(keys: Iterable[Key], values: Mapping[Key, int | None], hidden: set[Key],
                  fixed: Collection[Key], order: Mapping[Key, int],
                  rate_parts: Collection[Key], expendable: Collection[Key]) -> bool:
    """Hide the smallest non-zero shown cell of KEYS (a zero if that is all there is): an
    expendable one first, one no percentage is built on next."""
    candidates = [k for k in keys if k not in hidden and k not in fixed]
    if not candidates:
        return False

    def preference(key: Key) -> tuple[bool, bool, bool, int, int]:
        value = values[key] or 0
        return value == 0, key not in expendable, key in rate_parts, value, order[key]

    hidden.add(min(candidates, key=preference))
    return True


def _recoverable(hidden: Collection[Key], relations: Sequence[Relation],
                 order: Mapping[Key, int]) -> dict[Key, dict[Key, Fraction]]:
    """The hidden cells the relations determine, each with the shown cells its solution
    reads (their net coefficients): a hidden cell is determined when its unit vector lies in
    the span of the relations restricted to the hidden cells. Exact Gauss-Jordan elimination
    over the rationals, on sparse rows, each carrying the combination of relations it is."""
    pivots: dict[Key, tuple[dict[Key, Fraction], dict[int, Fraction]]] = {}

    def subtract(row: dict[Key, Fraction], recipe: dict[int, Fraction], factor: Fraction,
                 other: tuple[dict[Key, Fraction], dict[int, Fraction]]) -> None:
        for target, source in ((row, other[0]), (recipe, other[1])):
            for k, v in source.items():
                target[k] = target.get(k, Fraction(0)) - factor * v  # type: ignore[index]
                if not target[k]:  # type: ignore[index]
                    del target[k]  # type: ignore[arg-type]

    for index, relation in enumerate(relations):
        row = {k: Fraction(c) for k, c in relation.cells if k in hidden}
        recipe = {index: Fraction(1)}
        for pivot, other in pivots.items():
            factor = row.get(pivot)
            if factor:
                subtract(row, recipe, factor, other)
        if not row:
            continue
        pivot = min(row, key=order.__getitem__)
        scale = row[pivot]
        row = {k: v / scale for k, v in row.items()}
        recipe = {k: v / scale for k, v in recipe.items()}
        for other in pivots.values():
            factor = other[0].get(pivot)
            if factor:
                subtract(other[0], other[1], factor, (row, recipe))
        pivots[pivot] = (row, recipe)
    found: dict[Key, dict[Key, Fraction]] = {}
    for pivot, (row, recipe) in pivots.items():
        if len(row) == 1:
            shown: dict[Key, Fraction] = {}
            for index, weight in recipe.items():
                for k, c in relations[index].cells:
                    if k not in hidden:
                        shown[k] = shown.get(k, Fraction(0)) + weight * c
            found[pivot] = {k: v for k, v in shown.items() if v}
    return found


# A table's cells in the pool --------------------------------------------------------------

@dataclass(frozen=True)
class Cells:
    """How one table's cells are named in the pool: (NAME, the row's labels, the column).
    LABELS: the columns that name a row (month, --by keys); none: the row's number."""

    name: str
    frame: pl.DataFrame
    labels: tuple[str, ...] = ()
    counts: tuple[str, ...] | None = None   # None: every integer column but the labels

    @property
    def count_columns(self) -> tuple[str, ...]:
        if self.counts is not None:
            return tuple(c for c in self.counts if c in self.frame.columns)
        return tuple(c for c, t in self.frame.schema.items()
                     if t.is_integer() and c not in self.labels)

    def row_labels(self) -> list[tuple[object, ...]]:
        if not self.labels:
            return [(i,) for i in range(self.frame.height)]
        return list(self.frame.select(self.labels).iter_rows())

    def key(self, row: tuple[object, ...], column: str) -> Key:
        return (self.name, row, column)

    def values(self) -> dict[Key, int | None]:
        out: dict[Key, int | None] = {}
        rows = self.row_labels()
        for column in self.count_columns:
            for row, value in zip(rows, self.frame.get_column(column), strict=True):
                out[self.key(row, column)] = value
        return out

    def row_sums(self, total: str, parts: Sequence[str]) -> list[Relation]:
        """In every row, TOTAL = Σ PARTS (those of them the table has)."""
        if total not in self.frame.columns:
            return []
        present = [p for p in parts if p in self.frame.columns]
        return [Relation.total(self.key(r, total), (self.key(r, p) for p in present))
                for r in self.row_labels()]

    def carried(self, stock: str, inflows: Sequence[str], outflows: Sequence[str]
                ) -> list[Relation]:
        """Each row's STOCK = the previous row's + Σ INFLOWS − Σ OUTFLOWS (rows in order)."""
        rows = self.row_labels()
        return [Relation(((self.key(now, stock), -1), (self.key(before, stock), 1),
                          *((self.key(now, c), 1) for c in inflows),
                          *((self.key(now, c), -1) for c in outflows)))
                for before, now in pairwise(rows)]

    def column_sums(self, total: Mapping[str, Key]) -> list[Relation]:
        """For each count column with a key in TOTAL, the column adds up to that cell."""
        rows = self.row_labels()
        return [Relation.total(total[c], (self.key(r, c) for r in rows))
                for c in self.count_columns if c in total]

    def rate_parts(self, rates: Mapping[str, tuple[str, ...]]) -> set[Key]:
        """The cells the table's percentages are built on."""
        columns = {p for parts in rates.values() for p in parts} & set(self.count_columns)
        return {self.key(r, c) for r in self.row_labels() for c in columns}

    def mask(self, hidden: Collection[Key], rates: Mapping[str, tuple[str, ...]]
             ) -> pl.DataFrame:
        """Booleans shaped like the frame: True where a cell is shown as `c`. A rate (or
        median, or mean) is hidden with any count of the frame it is built on: over a shown
        denominator it would give a hidden numerator back."""
        rows = self.row_labels()
        counts = set(self.count_columns)

        def column_mask(column: str) -> list[bool]:
            if column in rates:
                flags = [column_mask(p) for p in rates[column] if p in self.frame.columns]
                return [any(f) for f in zip(*flags, strict=True)] if flags else [False] * len(rows)
            if column not in counts:
                return [False] * len(rows)
            return [self.key(r, column) in hidden for r in rows]

        return pl.DataFrame({c: pl.Series(c, column_mask(c), dtype=pl.Boolean)
                             for c in self.frame.columns}, height=self.frame.height)
