"""Data for the performance tests: published cases with paid gifts, made through the real giving services."""

from __future__ import annotations

import uuid

import pytest

from jood import cache
from jood.cases.models import CaseStatus, Track


@pytest.fixture
def catalog_with(make_charity, make_case, donate):
    """`catalog_with(n)` adds n published cases (two charities, both tracks) with one paid gift each."""
    charities = []
    made = {"cases": [], "donations": []}

    def grow(n: int):
        if not charities:
            charities.extend([make_charity(), make_charity(region="makkah")])
        for i in range(n):
            k = len(made["cases"])
            case = make_case(CaseStatus.PUBLISHED, track=Track.RENT if k % 2 else Track.OWNERSHIP,
                             charity=charities[k % 2], priority_total=10 + k % 7, region="riyadh" if k % 3 else
                             "makkah", city="الرياض" if k % 3 else "مكة")
            made["cases"].append(case)
            made["donations"].append(donate(case, 50_00 + i, browser=False, name="محسن" if i % 2 else ""))
        return made

    return grow


def _redis_store():
    try:
        store = cache.RedisStore("redis://127.0.0.1:6379/12", prefix=f"jood-test-{uuid.uuid4().hex}:")
        store.lookup((), f"{store.prefix}probe")
    except Exception:  # noqa: BLE001
        pytest.skip("no Redis on 127.0.0.1:6379")
    return store


@pytest.fixture(params=["memory", "redis"])
def caching(app, request):
    """The page cache on, in process memory (embedded mode) and in Redis (production); `caching.tag_version(tag)`
    and `caching.entry(path)` read what it holds."""
    saved = app.extensions["jood_cache"]
    store = cache.MemoryStore(prefix="jood-test:") if request.param == "memory" else _redis_store()
    app.extensions["jood_cache"] = store
    app.config["PAGE_CACHE_ENABLED"] = True
    store.tag_version = lambda tag: store.lookup((f"{store.prefix}tag:{tag}",), f"{store.prefix}none")[0][0]
    store.entry_key = lambda path, language="ar": f"{store.prefix}page:{language}:http://localhost{path}"
    store.entry = lambda path, language="ar": store.get(store.entry_key(path, language))
    yield store
    app.config["PAGE_CACHE_ENABLED"] = False
    app.extensions["jood_cache"] = saved
    if isinstance(store, cache.RedisStore):
        keys = list(store._redis.scan_iter(f"{store.prefix}*"))
        if keys:
            store._redis.delete(*keys)
