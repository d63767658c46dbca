"""The connection handling of `gongkai serve`: a fixed pool of handler threads, and connections
that sit idle closed after a timeout.

The standard library's ThreadingHTTPServer starts a thread per connection and waits forever for
its request: 300 clients that connect and send nothing hold 300 threads, and a few thousand
exhaust the process. Here an accepted connection costs no thread until it has something to read:
one dispatcher thread watches the waiting connections (a selector) and hands a connection to the
pool only when its request starts to arrive; one that sends nothing within the idle timeout is
closed. A handler reads and writes with the same timeout (a client that stops mid-request or
stops reading the response frees its thread), and the number of open connections is capped:
beyond MAX_CONNECTIONS a new one is answered 503 at once and closed.

A client that goes away mid-response (a closed tab, a cancelled download) is no error of the
server's: nothing is logged for it.
"""

from __future__ import annotations

import http.server
import selectors
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

IDLE_TIMEOUT = 15.0  # seconds a connection may wait for its request, or stall mid-way
WORKERS = 16  # handler threads: requests served at once (static files and searches are short)
MAX_CONNECTIONS = 1024  # open connections (waiting, queued, being served); beyond: 503 and closed
BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
        b"Connection: close\r\nRetry-After: 5\r\n\r\nbusy\n")
GONE = (ConnectionError, TimeoutError)  # BrokenPipe, ConnectionReset, ConnectionAborted, timeouts


class BoundedHTTPServer(http.server.HTTPServer):
    """An HTTP server whose threads and idle connections are bounded (see the module)."""

    request_queue_size = 128  # the listen backlog: the default 5 drops connections of a burst

    def __init__(self, address, handler, idle_timeout: float = IDLE_TIMEOUT, workers: int = WORKERS,
                 max_connections: int = MAX_CONNECTIONS):
        self._dispatcher = None  # server_close() runs inside super().__init__ when bind fails
        super().__init__(address, handler)
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self._open = 0  # connections accepted and not yet closed
        self._count_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gongkai-serve")
        self._arrived: list[tuple[socket.socket, tuple]] = []  # accepted, not yet watched
        self._arrived_lock = threading.Lock()
        self._wake_read, self._wake_write = socket.socketpair()
        self._closing = False
        self._dispatcher = threading.Thread(target=self._dispatch, name="gongkai-serve-dispatch", daemon=True)
        self._dispatcher.start()

    # --- called by serve_forever's thread for each accepted connection ------------------------
    def process_request(self, request, client_address):
        with self._count_lock:
            full = self._open >= self.max_connections
            if not full:
                self._open += 1
        if full:
            _refuse(request)
            return
        with self._arrived_lock:
            self._arrived.append((request, client_address))
        self._wake()

    def _wake(self) -> None:
        try:
            self._wake_write.send(b"\0")
        except OSError:  # the wake-up pipe is full: the dispatcher is awake anyway
            pass

    # --- the dispatcher: waits for requests to arrive, closes idle connections ------------------
    def _dispatch(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_read, selectors.EVENT_READ)
        deadlines: dict[socket.socket, float] = {}
        while not self._closing:
            now = time.monotonic()
            wait = min([d - now for d in deadlines.values()] + [1.0])
            for key, _ in selector.select(max(wait, 0)):
                if key.fileobj is self._wake_read:
                    try:
                        self._wake_read.recv(4096)
                    except OSError:
                        pass
                    with self._arrived_lock:
                        arrived, self._arrived = self._arrived, []
                    for sock, address in arrived:
                        try:
                            selector.register(sock, selectors.EVENT_READ, address)
                        except (OSError, ValueError):  # closed meanwhile: nothing to wait for
                            self._close(sock)
                            continue
                        deadlines[sock] = time.monotonic() + self.idle_timeout
                else:
                    selector.unregister(key.fileobj)
                    del deadlines[key.fileobj]
                    self._pool.submit(self._serve, key.fileobj, key.data)
            now = time.monotonic()
            for sock in [s for s, d in deadlines.items() if d <= now]:
                selector.unregister(sock)
                del deadlines[sock]
                self._close(sock)
        for sock in deadlines:
            self._close(sock)
        selector.close()

    def _serve(self, sock: socket.socket, address) -> None:
        """In a pool thread: the request of one connection, then the connection closed."""
        try:
            sock.settimeout(self.idle_timeout)
            self.finish_request(sock, address)
        except Exception:
            self.handle_error(sock, address)
        finally:
            self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        self.shutdown_request(sock)
        with self._count_lock:
            self._open -= 1

    def handle_error(self, request, client_address):
        import sys

        if isinstance(sys.exc_info()[1], GONE):
            return  # the client went away or stalled: nothing went wrong here
        super().handle_error(request, client_address)

    def server_close(self):
        super().server_close()
        if self._dispatcher is None:  # the address could not be bound: nothing was started
            return
        self._closing = True
        self._wake()
        self._dispatcher.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._wake_read.close()
        self._wake_write.close()


def _refuse(sock: socket.socket) -> None:
    """Answer 503 without waiting for the client (it may not read), and close."""
    try:
        sock.setblocking(False)
        sock.send(BUSY)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
