"""The action server's own settings (environment variables, and var/secrets.env written by set-up): where the
gateway's internal API is, its token, and the catalogue. Its own unit: it imports nothing of the gateway."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, Field

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ActionServerSettings(BaseSettings):
    gateway_internal_url: str = "http://127.0.0.1:8000"
    action_service_token: str = Field("", description="bearer token for the gateway's /api/internal")
    catalogue_dir: Path = PROJECT_ROOT / "service_catalogue"

    class Config:
        env_file = str(PROJECT_ROOT / "var" / "secrets.env")
        env_file_encoding = "utf-8"


@lru_cache
def get_settings() -> ActionServerSettings:
    return ActionServerSettings()
