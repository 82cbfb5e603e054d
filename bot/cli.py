"""Worker accounts from the command line (no account or password is built into the code).

    python -m bot.cli create-user <username> --role worker|editor|admin
    python -m bot.cli set-password <username>
    python -m bot.cli list-users
    python -m bot.cli deactivate <username>
    python -m bot.cli purge --older-than 90d   (the retention job, bot/retention.py; audited)
    python -m bot.cli gaps-report [--days 30] [--json]   (what residents ask that the catalogue misses)

The password comes from the environment variable NEW_USER_PASSWORD or is asked twice (not echoed).
The database is the gateway's (DATABASE_URL, else SQLite under var/); migrations run first.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from collections.abc import Sequence

from bot.db import configure_database, new_session, run_migrations
from bot.gaps_report import format_report, report_for_days, service_names
from bot.models import ROLES
from bot.repositories import audit
from bot.repositories import users as users_repo
from bot.retention import RetentionError, parse_period, purge, tracker_store_url
from bot.security import WeakPassword, check_password_strength, hash_password
from bot.settings import get_settings

PASSWORD_ENV = "NEW_USER_PASSWORD"
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
ACTOR = "cli"


class CliError(Exception):
    pass


def _read_password() -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise CliError(f"no terminal to ask the password on: set {PASSWORD_ENV}")
        password = getpass.getpass("Salasana / password: ")
        again = getpass.getpass("Salasana uudelleen / password again: ")
        if password != again:
            raise CliError("the passwords do not match")
    try:
        check_password_strength(password)
    except WeakPassword as error:
        raise CliError(str(error)) from error
    return password


def _create_user(username: str, role: str) -> str:
    if not _USERNAME.match(username):
        raise CliError("the username must be 2-64 characters: letters, digits, _ . @ -")
    password = _read_password()
    with new_session() as session:
        if users_repo.get_by_username(session, username) is not None:
            raise CliError(f"user {username!r} already exists (use set-password to change the password)")
        try:
            users_repo.create_user(session, username, hash_password(password), role)
        except users_repo.UserExists as error:
            raise CliError(f"user {username!r} already exists") from error
        audit.record(session, ACTOR, "user_created", detail={"username": username, "role": role})
        session.commit()
    return f"created {role} {username!r}"


def _set_password(username: str) -> str:
    with new_session() as session:
        if users_repo.get_by_username(session, username) is None:
            raise CliError(f"no such user: {username!r}")
    password = _read_password()
    with new_session() as session:
        users_repo.set_password_hash(session, username, hash_password(password))
        audit.record(session, ACTOR, "password_set", detail={"username": username})
        session.commit()
    return f"password changed for {username!r}"


def _list_users() -> str:
    with new_session() as session:
        users = users_repo.list_users(session)
        if not users:
            return "no users yet: python -m bot.cli create-user <username> --role worker"
        lines = [f"{'username':<32} {'role':<8} {'active':<7} created"]
        for user in users:
            created = user.created_at.strftime("%Y-%m-%d %H:%M") if user.created_at else ""
            lines.append(f"{user.username:<32} {user.role:<8} {'yes' if user.active else 'no':<7} {created}")
        return "\n".join(lines)


def _set_active(username: str, active: bool) -> str:
    with new_session() as session:
        try:
            users_repo.set_active(session, username, active)
        except users_repo.UserNotFound as error:
            raise CliError(f"no such user: {username!r}") from error
        audit.record(session, ACTOR, "user_activated" if active else "user_deactivated",
                     detail={"username": username})
        session.commit()
    return f"{'activated' if active else 'deactivated'} {username!r}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.cli",
        description="Manage worker accounts, run the retention job, print the gaps report.")
    parser.add_argument("--database-url", help="defaults to DATABASE_URL, else SQLite under the data folder")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser(
        "create-user", help=f"create an account (password from {PASSWORD_ENV} or asked)"
    )
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, default="worker")
    password = commands.add_parser("set-password", help="change a password")
    password.add_argument("username")
    commands.add_parser("list-users", help="list accounts")
    deactivate = commands.add_parser("deactivate", help="stop an account from signing in")
    deactivate.add_argument("username")
    activate = commands.add_parser("activate", help="allow a deactivated account to sign in again")
    activate.add_argument("username")
    retention = commands.add_parser(
        "purge", help="delete transcripts, call-back numbers, Rasa trackers and routing events older than"
        " the retention period"
    )
    retention.add_argument("--older-than", required=True, help="e.g. 90d or 12h")
    gaps = commands.add_parser(
        "gaps-report", help="questions the catalogue did not answer well (redacted), grouped, with counts"
    )
    gaps.add_argument("--days", type=_days, default=30, help="how many days back (1-366, default 30)")
    gaps.add_argument("--json", action="store_true", help="the editor API's JSON instead of text")
    return parser


def _days(value: str) -> int:
    days = int(value)
    if not 1 <= days <= 366:
        raise argparse.ArgumentTypeError("between 1 and 366")
    return days


def _gaps_report(days: int, as_json: bool) -> str:
    with new_session() as session:
        report = report_for_days(session, days, names=service_names(get_settings()))
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if as_json else format_report(report)


def _purge(period: str, database_url: str) -> str:
    try:
        older_than = parse_period(period)
    except RetentionError as error:
        raise CliError(str(error)) from error
    with new_session() as session:
        result = purge(session, older_than, tracker_store_url(database_url, get_settings().data_dir), ACTOR)
    return (f"purged {result.conversations} conversations: {result.messages} messages, "
            f"{result.contact_details} call-back numbers, {result.tracker_events} tracker events; "
            f"contact details cleared on {result.closed_cases_cleared} closed cases; "
            f"{result.routing_events} routing events")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    url = args.database_url or get_settings().effective_database_url
    try:
        configure_database(url)
        run_migrations(url)
        if args.command == "create-user":
            print(_create_user(args.username, args.role))
        elif args.command == "set-password":
            print(_set_password(args.username))
        elif args.command == "list-users":
            print(_list_users())
        elif args.command == "deactivate":
            print(_set_active(args.username, False))
        elif args.command == "purge":
            print(_purge(args.older_than, url))
        elif args.command == "gaps-report":
            print(_gaps_report(args.days, args.json))
        else:
            print(_set_active(args.username, True))
    except CliError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("cancelled", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
