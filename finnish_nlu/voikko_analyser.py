"""Thin, cached access to Voikko (Debian libvoikko1 + voikko-fi through the PyPI ctypes binding).

Voikko is optional at import time so that code using this module still runs where the Debian
packages are missing (the set-up installs them); callers then get no analyses and fall back to
simplemma or the surface form. A warning says so once.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)

_lock = threading.Lock()  # a Voikko handle is not thread-safe


@lru_cache(maxsize=1)
def _voikko() -> Any | None:
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception as error:  # OSError from ctypes when the C library or dictionary is missing
        logger.warning(
            "Voikko is not available (%s); install Debian packages libvoikko1 and voikko-fi", error
        )
        return None


def voikko_available() -> bool:
    return _voikko() is not None


@lru_cache(maxsize=100_000)
def analyse(word: str) -> tuple[dict[str, str], ...]:
    """Voikko's analyses of one word, as plain dicts (empty when unknown or Voikko is missing)."""
    voikko = _voikko()
    if voikko is None or not word:
        return ()
    with _lock:
        return tuple(dict(analysis) for analysis in voikko.analyze(word))
