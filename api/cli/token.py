"""`tahaluf token --role COORDINATOR --association A01 [--sub ID] [--hours 24]`: print a dev JWT."""

from __future__ import annotations

import argparse
import sys

from api.auth import ROLES, mint_token


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("token", help="print a signed development JWT")
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument("--association", help="association id (coordinators and trainers)")
    parser.add_argument(
        "--sub", help="subject; a volunteer's id for VOLUNTEER (default: dev-<role>)"
    )
    parser.add_argument("--hours", type=float, default=24.0, help="validity in hours (default 24)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.settings import get_settings

    if args.role in ("COORDINATOR", "TRAINER") and not args.association:
        print(f"--association is required for {args.role}", file=sys.stderr)
        return 2
    if args.role == "VOLUNTEER" and not args.sub:
        print("--sub (the volunteer id) is required for VOLUNTEER", file=sys.stderr)
        return 2
    if args.hours <= 0:
        print("--hours must be positive", file=sys.stderr)
        return 2
    sub = args.sub or f"dev-{args.role.lower()}"
    print(
        mint_token(
            get_settings().jwt_secret,
            role=args.role,
            sub=sub,
            association=args.association,
            hours=args.hours,
        )
    )
    return 0
