"""`pagesift admin`: make the operator console's password hash and the admin API token."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

MIN_PASSWORD_CHARS = 12


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("admin", help="credentials of the operator console and admin API")
    commands = parser.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    hashing = commands.add_parser(
        "hash-password", help="print the hash to put in PAGESIFT_ADMIN_PASSWORD_HASH (asks for the password)")
    hashing.add_argument("--stdin", action="store_true", help="read the password from standard input")
    hashing.set_defaults(func=hash_password)
    token = commands.add_parser(
        "new-token", help="print a new API token and the hash to put in PAGESIFT_ADMIN_TOKEN_HASH")
    token.set_defaults(func=new_token)


def hash_password(args: argparse.Namespace) -> int:
    from web.admin import auth

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Operator password: ")
        if getpass.getpass("Again: ") != password:
            print("pagesift admin: the two passwords differ", file=sys.stderr)
            return 2
    if len(password) < MIN_PASSWORD_CHARS:
        print(f"pagesift admin: use at least {MIN_PASSWORD_CHARS} characters", file=sys.stderr)
        return 2
    print(auth.hash_password(password))
    return 0


def new_token(args: argparse.Namespace) -> int:
    from web.admin import auth

    token, digest = auth.new_token()
    print(f"token: {token}")
    print(f"PAGESIFT_ADMIN_TOKEN_HASH={digest}")
    print("Give the token to the API client; keep only the hash in the configuration.", file=sys.stderr)
    return 0
