"""A local TCP proxy that a test can cut and restore, to take a database or Redis away from a
running server and give it back, without touching the real service.

    proxy = Proxy(("127.0.0.1", 5432), port=...)   # listening at once
    proxy.cut()       # every open connection closed, new ones refused (nothing listens)
    proxy.restore()   # listening again on the same port
    proxy.close()
"""

from __future__ import annotations

import select
import socket
import threading
from typing import Set, Tuple


class Proxy:
    def __init__(self, target: Tuple[str, int], port: int = 0, host: str = "127.0.0.1") -> None:
        self.target = target
        self.host = host
        self.port = port
        self._lock = threading.Lock()
        self._connections: Set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._accepting: threading.Thread | None = None
        self._stop = threading.Event()
        self.accepted = 0  # connections taken since the start
        self.restore()

    # -- control ---------------------------------------------------------------------------

    def restore(self) -> None:
        """Listen (again) on the same port; connections go through to the target."""
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((self.host, self.port))
            listener.listen(64)
            self.port = listener.getsockname()[1]
            self._listener = listener
            self._stop = threading.Event()
            self._accepting = threading.Thread(target=self._accept, args=(listener, self._stop), daemon=True)
            self._accepting.start()

    def cut(self) -> None:
        """Stop listening (new connections are refused) and close every open connection."""
        with self._lock:
            listener, self._listener = self._listener, None
            accepting, self._accepting = self._accepting, None
            self._stop.set()
            connections, self._connections = self._connections, set()
        if accepting is not None:
            accepting.join(5)
        if listener is not None:
            listener.close()
        for connection in connections:
            _close(connection)

    def close(self) -> None:
        self.cut()

    @property
    def is_cut(self) -> bool:
        return self._listener is None

    def __enter__(self) -> Proxy:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    # -- relaying ----------------------------------------------------------------------------

    def _accept(self, listener: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                ready, _, _ = select.select([listener], [], [], 0.1)
                if not ready:
                    continue
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if stop.is_set():  # cut while this one was being connected
                    _close(client)
                    _close(upstream)
                    return
                self._connections.update((client, upstream))
                self.accepted += 1
            threading.Thread(target=self._relay, args=(client, upstream), daemon=True).start()

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        sockets = [client, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 0.5)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)
                with self._lock:
                    if client not in self._connections:
                        return
        except (OSError, ValueError):  # closed by cut(), or by either side
            return
        finally:
            with self._lock:
                self._connections.discard(client)
                self._connections.discard(upstream)
            _close(client)
            _close(upstream)


def _close(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    connection.close()
