"""The one settings object: everything configurable comes from the environment.

Defaults work on a developer machine with `make services-up`; production sets them all.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    neo4j_uri: str = Field("bolt://127.0.0.1:7687", alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER")
    neo4j_password: str = Field("tahaluf-dev-password", alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", alias="NEO4J_DATABASE")
    redis_url: str = Field("redis://127.0.0.1:6379/0", alias="REDIS_URL")
    jwt_secret: str = Field("dev-jwt-secret-change-me-before-production", alias="TAHALUF_JWT_SECRET")
    id_secret: str = Field("dev-national-id-secret-change-me", alias="TAHALUF_ID_SECRET")
    proposal_ttl_minutes: int = Field(24 * 60, alias="TAHALUF_PROPOSAL_TTL_MINUTES")
    checkin_open_minutes: int = Field(60, alias="TAHALUF_CHECKIN_OPEN_MINUTES")
    # GraphQL HTTP requests executed at once per API process; more wait their turn (api.app)
    max_concurrent_requests: int = Field(32, alias="TAHALUF_MAX_CONCURRENT_REQUESTS", ge=1)
    api_host: str = Field("127.0.0.1", alias="TAHALUF_API_HOST")
    api_port: int = Field(8000, alias="TAHALUF_API_PORT")
    # API processes `tahaluf serve` runs on the one port (uvicorn workers): one per core the
    # API may use; each has its own driver, Redis pool and admission limit
    api_workers: int = Field(1, alias="TAHALUF_API_WORKERS", ge=1)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
