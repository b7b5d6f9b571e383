"""Pack arithmetic for vial rounding (decision T3).

Amounts are handled in whole units of the greatest common divisor of the pack sizes
(in centigrams), so every total is exact: Privigen's 5/10/20/40 g packs work in 5 g
units, Cutaquig's 6-48 mL packs (0.99-7.92 g) in 0.33 g units.

For every reachable total the tables hold the fewest and the most packs that make it
up. "Closest" totals break ties towards the lower total (T3).
"""

from __future__ import annotations

from functools import cache
from math import gcd

from neuroig.record import Record

__all__ = ["PackCount", "PackSet", "pack_set"]

_UNREACHABLE = -1


class PackCount(Record, frozen=True):
    """``count`` packs of ``grams`` each."""

    grams: float
    count: int


def _cg(grams: float) -> int:
    return round(grams * 100)


class _Tables(Record, frozen=True):
    fewest: tuple[int, ...]  # fewest packs per total (in units), -1 unreachable
    most: tuple[int, ...]  # most packs per total, -1 unreachable
    choice: tuple[int, ...]  # pack (in units) used last in a fewest-pack combination


@cache
def _tables(packs: tuple[int, ...], limit: int) -> _Tables:
    fewest = [_UNREACHABLE] * (limit + 1)
    most = [_UNREACHABLE] * (limit + 1)
    choice = [0] * (limit + 1)
    fewest[0] = most[0] = 0
    for v in range(1, limit + 1):
        for p in packs:  # largest first: ties in count prefer larger packs
            if p <= v and fewest[v - p] != _UNREACHABLE:
                n = fewest[v - p] + 1
                if fewest[v] == _UNREACHABLE or n < fewest[v]:
                    fewest[v] = n
                    choice[v] = p
                m = most[v - p] + 1
                most[v] = max(most[v], m)
    return _Tables(tuple(fewest), tuple(most), tuple(choice))


class PackSet(Record, frozen=True):
    """The pack sizes of one product, with exact arithmetic on pack totals."""

    sizes_g: tuple[float, ...]

    @property
    def unit_cg(self) -> int:
        """The arithmetic unit: gcd of the pack sizes in centigrams."""
        return gcd(*(_cg(s) for s in self.sizes_g))

    @property
    def smallest_g(self) -> float:
        """The smallest pack in grams."""
        return min(self.sizes_g)

    def _units(self) -> tuple[int, ...]:
        u = self.unit_cg
        return tuple(sorted((_cg(s) // u for s in self.sizes_g), reverse=True))

    def _limit_units(self, grams: float) -> int:
        # Tables are built in blocks so that repeated calls share one cached table.
        need = int(_cg(max(grams, 0.0)) // self.unit_cg) + max(self._units()) + 1
        return ((need // 512) + 1) * 512

    def _t(self, grams: float) -> _Tables:
        return _tables(self._units(), self._limit_units(grams))

    def to_units(self, grams: float) -> float:
        """``grams`` in arithmetic units (not necessarily whole)."""
        return _cg(grams) / self.unit_cg

    def grams(self, units: int) -> float:
        """Units back to grams (exact to 0.01 g)."""
        return round(units * self.unit_cg / 100.0, 2)

    def reachable(self, grams: float) -> bool:
        """True when whole packs make up exactly ``grams``."""
        cg = _cg(grams)
        if cg % self.unit_cg:
            return False
        t = self._t(grams)
        return t.fewest[cg // self.unit_cg] != _UNREACHABLE

    def max_packs(self, grams: float) -> int:
        """The most packs that make up exactly ``grams`` (-1 when unreachable)."""
        cg = _cg(grams)
        if cg % self.unit_cg:
            return _UNREACHABLE
        return self._t(grams).most[cg // self.unit_cg]

    def fewest_packs(self, grams: float) -> tuple[PackCount, ...]:
        """The combination with the fewest packs that makes up exactly ``grams``.

        Raises
        ------
        ValueError
            When no combination of whole packs makes up ``grams``.
        """
        cg = _cg(grams)
        t = self._t(grams)
        if cg % self.unit_cg or t.fewest[cg // self.unit_cg] == _UNREACHABLE:
            raise ValueError(f"{grams} g cannot be made up of packs {self.sizes_g}")
        v = cg // self.unit_cg
        counts: dict[int, int] = {}
        while v:
            p = t.choice[v]
            counts[p] = counts.get(p, 0) + 1
            v -= p
        return tuple(PackCount(self.grams(p), n) for p, n in sorted(counts.items(), reverse=True))

    def covering(self, grams: float) -> float:
        """The smallest pack total ≥ ``grams`` (> 0): what must be opened to give a dose."""
        t = self._t(grams + max(self.sizes_g))
        start = max(1, -(-_cg(grams) // self.unit_cg))  # ceil
        for v in range(start, len(t.fewest)):
            if t.fewest[v] != _UNREACHABLE:
                return self.grams(v)
        raise ValueError(f"no pack total covers {grams} g")  # pragma: no cover - tables extend

    def candidates(
        self, target_g: float, *, cap_g: float | None, min_packs: int = 1
    ) -> list[float]:
        """Reachable totals made of ≥ ``min_packs`` packs and ≤ ``cap_g``, closest first.

        Ties in distance go to the lower total (T3). Totals are > 0.
        """
        top = (
            target_g + 2 * max(self.sizes_g)
            if cap_g is None
            else min(cap_g, target_g + 2 * max(self.sizes_g))
        )
        t = self._t(top)
        hi = min(int(_cg(top) // self.unit_cg), len(t.fewest) - 1)
        target_units = self.to_units(target_g)
        values = [v for v in range(1, hi + 1) if t.most[v] >= min_packs]
        values.sort(key=lambda v: (abs(v - target_units), v))
        return [self.grams(v) for v in values]

    def split(self, total_g: float, n: int, *, cap_g: float | None) -> list[float] | None:
        """Split a pack total into ``n`` session totals of whole packs, as equal as possible.

        Each session is made of whole packs, is > 0 and ≤ ``cap_g``; sessions are filled in
        order, each taking the reachable amount closest to an equal share of what is left
        (ties to the lower) such that the rest can still be split. None when impossible.
        """
        t = self._t(total_g)
        remaining = _cg(total_g)
        if remaining % self.unit_cg:
            return None
        remaining //= self.unit_cg
        cap = None if cap_g is None else int(_cg(cap_g) // self.unit_cg)
        out: list[float] = []
        for k in range(n, 0, -1):
            if k == 1:
                ok = remaining > 0 and t.fewest[remaining] != _UNREACHABLE
                if not ok or (cap is not None and remaining > cap):
                    return None
                out.append(self.grams(remaining))
                break
            share = remaining / k
            best: int | None = None
            best_key: tuple[float, int] | None = None
            for d in range(1, remaining):
                if t.fewest[d] == _UNREACHABLE or (cap is not None and d > cap):
                    continue
                rest = remaining - d
                if t.most[rest] < k - 1 or (cap is not None and rest > (k - 1) * cap):
                    continue
                key = (abs(d - share), d)
                if best_key is None or key < best_key:
                    best, best_key = d, key
            if best is None:
                return None
            out.append(self.grams(best))
            remaining -= best
        return out


def pack_set(sizes_g: tuple[float, ...]) -> PackSet:
    """A :class:`PackSet` for the given pack sizes (grams, all > 0)."""
    if not sizes_g or any(s <= 0 for s in sizes_g):
        raise ValueError(f"pack sizes must be > 0, got {sizes_g}")
    return PackSet(tuple(sizes_g))
