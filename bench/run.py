"""Runs the benchmark groups: ``python -m bench.run [GROUP]`` (``make bench ONLY=GROUP``)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench._harness import Report


def groups() -> dict[str, str]:
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("bench_"):
            found[info.name.removeprefix("bench_")] = f"bench.{info.name}"
    return dict(sorted(found.items()))


def main(argv: list[str]) -> int:
    available = groups()
    wanted = argv or list(available)
    unknown = [g for g in wanted if g not in available]
    if unknown:
        print(f"unknown benchmark group(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    for group in wanted:
        module = importlib.import_module(available[group])
        started = time.perf_counter()
        print(f"== bench group {group} ==", flush=True)
        module.run(Report(getattr(module, "GROUP", group)))
        print(f"== bench group {group} done in {time.perf_counter() - started:.1f} s ==", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
