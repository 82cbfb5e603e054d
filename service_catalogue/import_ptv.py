"""Import services from PTV (Palvelutietovaranto) v11 JSON into the catalogue.

    python -m service_catalogue.import_ptv FILE... [--apply] [--accept ENTRY.FIELD ...]
        [--keep ENTRY.FIELD ...] [--author NAME] [--catalogue DIR]
        [--provider-type TYPE --topic TOPIC ... --segment N ...] [--provider NAME]
        [--database-url URL] [--json] [--all]

Without ``--apply`` it prints the plan (what would be added, changed, and which fields conflict with an
editor's local edit) and changes nothing. With ``--apply`` it writes the adds and the non-conflicting
changes through the editing service layer (history, audit, validation); a conflict is written only when
named with ``--accept``. Exit status: 0 done, 1 some entry could not be written, 2 a file is not PTV v11
JSON or an option is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from service_catalogue.loader import CatalogueError
from service_catalogue.models import ProviderType
from service_catalogue.ptv.apply import unknown_names
from service_catalogue.ptv.plan import AddDefaults, plan_import
from service_catalogue.ptv.reading import PtvFormatError, read_files
from service_catalogue.ptv.snapshots import SnapshotError
from service_catalogue.validate import DEFAULT_DIRECTORY


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m service_catalogue.import_ptv",
        description="Import PTV v11 JSON (services, service channels, paged lists) into the catalogue.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--apply", action="store_true", help="write the adds and non-conflicting changes")
    parser.add_argument(
        "--accept",
        nargs="+",
        default=[],
        metavar="ENTRY.FIELD",
        help="take PTV's value for these conflicts (ENTRY, ENTRY.FIELD or a field prefix)",
    )
    parser.add_argument(
        "--keep",
        nargs="+",
        default=[],
        metavar="ENTRY.FIELD",
        help="keep the local value of these conflicts and stop reporting them",
    )
    parser.add_argument(
        "--author", default="ptv-import", help="name in the change history (default ptv-import)"
    )
    parser.add_argument(
        "--catalogue",
        type=Path,
        default=DEFAULT_DIRECTORY,
        metavar="DIR",
        help="catalogue directory (default: service_catalogue/)",
    )
    parser.add_argument(
        "--provider-type", choices=[p.value for p in ProviderType], help="for new entries: provider type"
    )
    parser.add_argument("--topic", nargs="+", default=[], help="for new entries: topic ids")
    parser.add_argument("--segment", nargs="+", type=int, default=[], help="for new entries: segments 1-4")
    parser.add_argument("--provider", help="for new entries whose PTV record names no organisation")
    parser.add_argument(
        "--database-url", help="with --apply; default DATABASE_URL, else SQLite under the data folder"
    )
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--all", action="store_true", help="also list unchanged fields")
    return parser


def _apply(args: argparse.Namespace, plan) -> int:  # type: ignore[no-untyped-def]
    # Imported here: a dry run needs no database and must not create one.
    from bot.catalogue_editing import CatalogueEditing
    from bot.db import configure_database, new_session, run_migrations
    from bot.settings import get_settings
    from service_catalogue.ptv.apply import apply_plan

    url = args.database_url or get_settings().effective_database_url
    configure_database(url)
    run_migrations(url)
    editing = CatalogueEditing(args.catalogue)
    with new_session() as session:
        result = apply_plan(plan, editing, session, author=args.author, accept=args.accept, keep=args.keep)
    print("")
    for line in result.written:
        print(f"written: {line}")
    for name in result.kept_conflicts:
        print(f"kept local (conflict): {name}")
    for line in result.failed:
        print(f"NOT written: {line}", file=sys.stderr)
    if not result.written:
        print("nothing written")
    return 0 if result.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    try:
        batch = read_files(args.files)
        defaults = AddDefaults(
            provider_type=args.provider_type, topics=args.topic, segments=args.segment, provider=args.provider
        )
        plan = plan_import(args.catalogue, batch, defaults=defaults)
    except PtvFormatError as error:
        print(f"error: {error.source} is not valid PTV v11 JSON: {error.problem}", file=sys.stderr)
        return 2
    except CatalogueError as error:
        print(f"error: the catalogue does not load: {error}", file=sys.stderr)
        return 2
    except SnapshotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    unknown = unknown_names(plan, [*args.accept, *args.keep])
    if unknown:
        conflicts = ", ".join(plan.conflict_names()) or "none"
        print(
            f"error: no conflict in the plan matches {', '.join(unknown)} (conflicts: {conflicts})",
            file=sys.stderr,
        )
        return 2
    print(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) if args.json else plan.render(args.all))
    if not args.apply:
        if not args.json:
            print("\n(dry run: nothing was changed; --apply writes the adds and changes)")
        return 0
    return _apply(args, plan)


if __name__ == "__main__":
    raise SystemExit(main())
