"""The lock store endpoints.yml configures: in memory by default, Redis with REDIS_URL, and with
Redis two servers never hold the same conversation's lock at once."""

import asyncio
import threading
import uuid
from pathlib import Path

from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.core.utils import read_endpoints_from_path

from stores.lock_store import AtomicRedisLockStore

ROOT = Path(__file__).resolve().parents[2]


def configured_lock_store() -> LockStore:
    return LockStore.create(read_endpoints_from_path(ROOT / "endpoints.yml").lock_store)


def two_servers(redis_url):
    """Two lock stores with their own connections, as two Rasa servers have."""
    prefix = "test" + uuid.uuid4().hex
    return [AtomicRedisLockStore(redis_url, key_prefix=prefix) for _ in range(2)]


def test_without_redis_url_locks_are_kept_in_memory(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert type(configured_lock_store()) is InMemoryLockStore


def test_with_redis_url_locks_are_kept_in_redis(monkeypatch, redis_url):
    monkeypatch.setenv("REDIS_URL", redis_url)
    store = configured_lock_store()
    assert isinstance(store, AtomicRedisLockStore)
    ticket = store.issue_ticket("conversation-a")
    assert store.red.exists(store.key_prefix + "conversation-a")
    store.cleanup("conversation-a", ticket)
    assert not store.red.exists(store.key_prefix + "conversation-a")


def test_tickets_issued_at_once_by_two_servers_are_all_different(redis_url):
    stores, tickets = two_servers(redis_url), []

    def issue(store):
        for _ in range(100):
            tickets.append(store.issue_ticket("conversation-b", 60))

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(400))
    stores[0].red.delete(stores[0].key_prefix + "conversation-b")


def test_two_servers_take_turns_on_one_conversation_and_leave_no_lock(redis_url):
    stores = two_servers(redis_url)
    inside, entered = [], []

    async def handle(store, n):
        async with store.lock("conversation-c", wait_time_in_seconds=0.01):
            inside.append(n)
            assert len(inside) == 1, "two servers hold the lock at once"
            await asyncio.sleep(0.005)
            inside.remove(n)
            entered.append(n)

    async def main():
        await asyncio.gather(*(handle(stores[n % 2], n) for n in range(40)))

    asyncio.run(main())
    assert sorted(entered) == list(range(40))
    assert not stores[0].red.exists(stores[0].key_prefix + "conversation-c")
