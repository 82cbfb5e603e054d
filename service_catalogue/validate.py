"""Check the catalogue files: ``.venv/bin/python -m service_catalogue.validate [directory]``.

Prints OK with counts, or the error naming the file and field, and exits non-zero on an error.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from service_catalogue.loader import CatalogueError, load_catalogue
from service_catalogue.topics import TOPICS

DEFAULT_DIRECTORY = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else DEFAULT_DIRECTORY
    try:
        catalogue = load_catalogue(directory)
    except CatalogueError as exc:
        print(f"ERROR {exc}")
        return 1
    providers = Counter(s.provider_type.value for s in catalogue.services.values())
    services = list(catalogue.services.values())
    uncovered = [t for t in TOPICS if not any(t in s.topics and 1 in s.segments for s in services)]
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
