"""`tahaluf export-schema [--output schema.graphql]`: write the SDL the code generates."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "schema.graphql"


def schema_sdl() -> str:
    from api.schema import build_schema

    return build_schema().as_str().rstrip() + "\n"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("export-schema", help="write the GraphQL SDL (schema.graphql)")
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="default: schema.graphql at the repo root",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    args.output.write_text(schema_sdl(), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0
