"""`tahaluf` — the project's command line.

Each subcommand lives in its own module under `api/cli/` and exposes `register(subparsers)`;
modules are imported only when the command line is parsed, so nothing runs at import time.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# module name under api.cli -> registers one or more subcommands
COMMAND_MODULES = ("instance", "seed", "token", "serve", "worker", "schema_cmd", "export_schema")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tahaluf", description="Tahaluf volunteer matching")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"api.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"api.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`tahaluf validate ... | head`): no traceback, and none either
        # when the interpreter flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
