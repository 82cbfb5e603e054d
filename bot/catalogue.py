"""The service catalogue and county profile as the gateway sees them (the same hot-reloading store the
action server uses, so an edited county.yaml or crisis contact applies to both without a restart)."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from bot.catalogue_editing import CatalogueEditing
from bot.settings import Settings
from service_catalogue.loader import Catalogue, CatalogueStore

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _store(directory: Path) -> CatalogueStore:
    return CatalogueStore(directory)


def gateway_catalogue(settings: Settings) -> Catalogue:
    """The current catalogue; raises ``CatalogueError`` only if it has never loaded."""
    return _store(Path(settings.catalogue_dir)).get()


def gateway_catalogue_or_none(settings: Settings) -> Catalogue | None:
    """The current catalogue, or ``None`` (logged) when it has never loaded: callers then fall back to
    general text and 112 rather than fail the resident's request."""
    try:
        return gateway_catalogue(settings)
    except Exception as error:
        logger.error("catalogue not available from %s: %s", settings.catalogue_dir, error)
        return None


@lru_cache(maxsize=4)
def _editing(directory: Path) -> CatalogueEditing:
    return CatalogueEditing(directory)


def catalogue_editing(settings: Settings) -> CatalogueEditing:
    """The editing service for the catalogue this gateway serves (its store sees every write at once)."""
    return _editing(Path(settings.catalogue_dir))
