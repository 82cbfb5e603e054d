"""The catalogue and county profile as the action server sees them.

One store per process; it re-reads the YAML files when an editor changes them, so content updates
need neither retraining nor a restart.
"""

from __future__ import annotations

from functools import lru_cache

from actions.settings import get_settings
from service_catalogue.county import CountyProfile
from service_catalogue.loader import Catalogue, CatalogueStore


@lru_cache
def _store() -> CatalogueStore:
    return CatalogueStore(get_settings().catalogue_dir)


def catalogue() -> Catalogue:
    return _store().get()


def county() -> CountyProfile:
    return catalogue().county
