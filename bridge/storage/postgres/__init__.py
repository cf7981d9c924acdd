"""The PostgreSQL implementation of the storage port (asyncpg pool, SERIALIZABLE), for
several workers on one database."""

from bridge.storage.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
