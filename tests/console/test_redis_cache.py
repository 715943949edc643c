"""The Redis cache backend keeps one client per connection pool instead of building one per
call (console.redis_cache); building a client does not connect, so no Redis is needed."""

from django.core.cache.backends.redis import RedisCache

from console.redis_cache import SharedClientRedisCache


def test_every_call_gets_the_same_client_of_its_pool():
    cache = SharedClientRedisCache("redis://127.0.0.1:6379/0", {})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("a key") is client


def test_djangos_own_backend_builds_a_client_per_call():
    # What the subclass is for: if Django ever shares its client, it can go.
    cache = RedisCache("redis://127.0.0.1:6379/0", {})
    assert cache._cache.get_client() is not cache._cache.get_client()
