"""Check the catalogue files: ``.venv/bin/python -m service_catalogue.validate [directory]``.

Prints OK with counts, or the error naming the file and field, and exits non-zero on an error.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from service_catalogue.loader import Catalogue, CatalogueError, load_catalogue
from service_catalogue.search import topics_without_self_service

DEFAULT_DIRECTORY = Path(__file__).resolve().parent


def catalogue_from_args(argv: list[str] | None) -> tuple[Path, Catalogue | None]:
    """The catalogue folder given on the command line (default: this package's) and the catalogue loaded
    from it, or None after printing the error with its file and field (for the editors' commands)."""
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else DEFAULT_DIRECTORY
    try:
        return directory, load_catalogue(directory)
    except CatalogueError as exc:
        print(f"ERROR {exc}")
        return directory, None


def main(argv: list[str] | None = None) -> int:
    _, catalogue = catalogue_from_args(argv)
    if catalogue is None:
        return 1
    providers = Counter(s.provider_type.value for s in catalogue.services.values())
    uncovered = topics_without_self_service(catalogue)
    print(
        f"OK {len(catalogue.services)} services, {len(catalogue.crisis_contacts)} crisis categories, "
        f"county {catalogue.county.short_name}"
    )
    print("  by provider: " + ", ".join(f"{k} {v}" for k, v in sorted(providers.items())))
    if uncovered:
        print("  WARNING topics without a segment-1 service: " + ", ".join(uncovered))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
