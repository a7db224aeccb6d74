"""Run one benchmark: ``python -m bench <name> [--database-url URL] [its own options]``.

Each benchmark is a module ``bench/<name>.py`` with ``run(args) -> dict`` and optionally
``add_arguments(parser)``. Progress goes to stderr; the figures are printed as one JSON object on
the last line of stdout.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

import bench


def available() -> list[str]:
    skip = {"common", "__main__"}
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(bench.__file__).parent)]) if m.name not in skip)


def main(argv: list[str] | None = None) -> int:
    names = available()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="name", required=True, metavar="{" + ",".join(names) + "}")
    modules = {}
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        modules[name] = module
        child = sub.add_parser(name, help=(module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else None)
        child.add_argument(
            "--database-url",
            default="",
            help="PostgreSQL URL to benchmark against (a fresh database is created next to it); "
            "default: a fresh embedded SQLite database",
        )
        if hasattr(module, "add_arguments"):
            module.add_arguments(child)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = modules[args.name].run(args)
    figures.setdefault("benchmark", args.name)
    figures["wall_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures, sort_keys=False))
    return 0 if not figures.get("failed") else 1


if __name__ == "__main__":
    sys.exit(main())
