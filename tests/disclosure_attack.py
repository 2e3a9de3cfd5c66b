"""A reader's attack on suppressed figures (report/disclosure.py): subtracting shown cells
from a shown total, and solving every additive relation at once. Written apart from the
solver under test: dense elimination modulo a large prime, not sparse rationals."""

from __future__ import annotations

from ehcp_timeliness.report.disclosure import Key, Relation

PRIME = 2**61 - 1  # the relations' ±1 coefficients never make a minor this large a factor


def determined(hidden: frozenset[Key], relations: list[Relation]) -> set[Key]:
    """Hidden cells a reader can solve for from every relation at once: those whose unit
    vector is in the row space of the relations restricted to the hidden cells, read off
    the reduced row echelon form (a row with a single non-zero)."""
    cells = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(cells)}
    rows = []
    for relation in relations:
        row = [0] * len(cells)
        for key, coefficient in relation.cells:
            if key in index:
                row[index[key]] = (row[index[key]] + coefficient) % PRIME
        if any(row):
            rows.append(row)
    rank = 0
    pivots = []
    for column in range(len(cells)):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        inverse = pow(rows[rank][column], PRIME - 2, PRIME)
        rows[rank] = [v * inverse % PRIME for v in rows[rank]]
        for i in range(len(rows)):
            factor = rows[i][column]
            if i != rank and factor:
                rows[i] = [(a - factor * b) % PRIME for a, b in zip(rows[i], rows[rank],
                                                                    strict=True)]
        pivots.append(column)
        rank += 1
    return {cells[c] for r, c in enumerate(pivots) if sum(1 for v in rows[r] if v) == 1}


def differences(hidden: frozenset[Key], relations: list[Relation]) -> list[Relation]:
    """Relations with exactly one hidden cell: it is the total less the shown parts."""
    return [r for r in relations if sum(k in hidden for k in r.keys) == 1]
