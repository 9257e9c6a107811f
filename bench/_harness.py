"""The benchmark protocol: every figure is printed beside a baseline measured in the same run.

A group is a module ``bench/bench_<group>.py`` exposing ``GROUP: str`` and
``run(report: Report) -> None``. ``make bench [ONLY=<group>]`` runs them all, or one.
Each figure is one line:

    bench: <group>.<name> = <value> <unit>  (baseline: <what> = <value> <unit>)

Benchmarks never assert: they measure and print. Goals live in the issues and
in the closing notes, so a slow machine prints a slow figure instead of failing
a unit test at random.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Report:
    group: str

    def __call__(
        self,
        name: str,
        value: float,
        unit: str,
        *,
        baseline_what: str,
        baseline_value: float,
        baseline_unit: str,
    ) -> str:
        line = (
            f"bench: {self.group}.{name} = {_fmt(value)} {unit}  "
            f"(baseline: {baseline_what} = {_fmt(baseline_value)} {baseline_unit})"
        )
        print(line, flush=True)
        return line


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def timings_ms(fn: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Wall-clock times of ``fn`` in milliseconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def interleaved_ms(fns: dict[str, Callable[[], object]], repeat: int, warmup: int = 3) -> dict[str, list[float]]:
    """Wall-clock times (ms) of several ways of doing one thing, taken in turn: round ``i`` times each
    of them once, so a burst of the machine's other work lands on all of them alike, not on whichever
    happened to be running (a figure and its baseline are compared, not two moments)."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            out[name].append((time.perf_counter() - t0) * 1000.0)
    return out


def p95(values: list[float]) -> float:
    return percentile(values, 95)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        raise ValueError("no values")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]
