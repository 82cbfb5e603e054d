"""Gateway settings, read from environment variables (and var/secrets.env written by set-up)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, Field

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    data_dir: Path = PROJECT_ROOT / "var"
    # Empty means the embedded default: SQLite in data_dir.
    database_url: str = ""
    # One Rasa base URL, or a comma-separated list of them (one per Rasa process; bot.rasa_client routes
    # each conversation to a fixed one and fails over to the next).
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = Field("", description="bearer token of Rasa's gateway channel; set-up generates one")
    rasa_timeout_s: float = 10.0  # a hung Rasa holds a gateway thread no longer than this
    action_server_url: str = "http://127.0.0.1:5055"
    gateway_port: int = 8000
    # Where the action server reaches the gateway's internal API.
    gateway_internal_url: str = "http://127.0.0.1:8000"
    catalogue_dir: Path = PROJECT_ROOT / "service_catalogue"

    jwt_secret: str = Field("", description="HS256 key for worker tokens; set-up generates one")
    jwt_ttl_minutes: int = 480
    conversation_key: str = Field("", description="MAC key of the conversation ids the gateway issues")
    action_service_token: str = Field("", description="bearer token the action server uses on /api/internal")

    max_message_chars: int = 2000
    rate_limit_per_conversation: int = 20  # messages per minute
    rate_limit_per_client: int = 60  # messages per minute from one address
    # Empty: rate limits in this process's memory (one gateway process). Set it when several gateway
    # workers or replicas serve residents, so that they share one limit (redis://host:6379/0).
    redis_url: str = ""
    redis_key_prefix: str = "gateway"
    # The county's reverse proxies (IPs or networks, as uvicorn's --forwarded-allow-ips): only their
    # X-Forwarded-For names the client. Empty: the header is ignored and the socket address is the client.
    trusted_proxies: list[str] = []
    # The address residents and workers use (the county's site). https:// turns on HSTS and Secure cookies
    # whatever scheme uvicorn itself sees behind the proxy.
    public_base_url: str = ""

    @property
    def https(self) -> bool:
        return self.public_base_url.lower().startswith("https://")
    cors_origins: list[str] = ["http://localhost:8000", "http://127.0.0.1:8000"]

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'assistant.sqlite3'}"

    class Config:
        env_file = str(PROJECT_ROOT / "var" / "secrets.env")
        env_file_encoding = "utf-8"


@lru_cache
def get_settings() -> Settings:
    return Settings()
