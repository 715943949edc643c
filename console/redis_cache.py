"""Django's Redis cache with one client per connection pool instead of one per call.

Django builds a new `redis.Redis` for every cache operation, and redis-py fills its table
of response callbacks (some 250 entries) in each: a quarter of an unchanged poll's time,
which makes three cache round trips. A `redis.Redis` is safe to share between threads (its
connections come from the pool), so one per pool is kept.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes, which its stubs do not declare.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            made = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            client = self._clients.setdefault(id(pool), made)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # Django sets its client class in __init__, not on the class.
        self._class = SharedClientRedisCacheClient
