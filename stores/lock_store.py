"""The lock store, chosen by environment: Redis with REDIS_URL (several servers), else in memory.

Rasa holds a conversation's lock while it handles one message, so two messages of the same
conversation are never processed at once. In memory that holds within one process only; with
several servers the lock must live in Redis.

Rasa's own RedisLockStore reads a lock, changes it in Python and writes it back. Two servers
issuing a ticket at the same moment can both read the same lock and hand out the same ticket
number, and then both process the conversation at once. Here every change of a lock is one
Redis transaction (WATCH/MULTI/EXEC, retried when another server changed the lock in between).
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Callable, Optional, Text

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with every read-change-write of a lock done atomically."""

    def __init__(self, url: Text, key_prefix: Optional[Text] = None) -> None:
        # The parent's constructor only builds the client and the key prefix.
        self.red = redis.StrictRedis.from_url(url, socket_timeout=DEFAULT_SOCKET_TIMEOUT_IN_SECONDS)
        self.key_prefix = "lock:"
        if key_prefix:
            self._set_key_prefix(key_prefix)

    def _change(self, conversation_id: Text, change: Callable[[TicketLock], Optional[int]], create: bool = False):
        """Apply `change` to the stored lock in one transaction; an emptied lock is deleted."""
        key = self.key_prefix + conversation_id

        def apply(pipe: redis.client.Pipeline) -> Optional[int]:
            stored = pipe.get(key)
            if stored is None and not create:
                return None
            lock = TicketLock.from_dict(json.loads(stored)) if stored else TicketLock(conversation_id)
            result = change(lock)
            lock.remove_expired_tickets()
            pipe.multi()
            if lock.tickets:
                # Expires with its last ticket, so a crashed server leaves nothing behind.
                pipe.set(key, lock.dumps(), px=max(1, int((lock.tickets[-1].expires - time.time()) * 1000)))
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(apply, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime), create=True)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        self._change(conversation_id, lambda lock: None)  # dropping expired tickets is the change

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # Removing the last ticket deletes the lock in the same transaction: deleting it in a
        # second step could delete a ticket another server issued in between.
        self.finish_serving(conversation_id, ticket_number)


class LockStoreFromEnv(LockStore):
    """The lock store endpoints.yml names: Redis if REDIS_URL is set, else in memory.

    Rasa instantiates the class named in endpoints.yml with the endpoint's configuration; this
    one returns the store that fits the environment instead of an instance of itself.
    """

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None) -> LockStore:
        url = os.environ.get("REDIS_URL")
        if not url:
            return InMemoryLockStore()
        key_prefix = endpoint_config.kwargs.get("key_prefix") if endpoint_config else None
        store = AtomicRedisLockStore(url, key_prefix=key_prefix)
        store.red.ping()  # fail at start-up, not at the first message
        logger.info("Conversation locks are kept in Redis.")
        return store
