"""`gongkai serve` under hostile or careless clients, as a real process on 127.0.0.1: clients that
disconnect mid-download, hundreds of idle connections, a damaged archive index.

Every loop is bounded and every wait has a deadline.
"""

from __future__ import annotations

import json
import shutil
import socket
import struct
import subprocess
import time
from pathlib import Path

import pytest

from conftest import GONGKAI, free_port, run_env



class Served:
    """`gongkai serve` of a site, started and stopped by the test."""

    def __init__(self, site: Path, index: Path, content: Path, *extra: str):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [GONGKAI, "serve", "--site", str(site), "--index", str(index), "--content", str(content),
             "--port", str(self.port), *extra],
            env=run_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.banner = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            line = self.proc.stderr.readline().decode("utf-8", "replace")
            self.banner += line
            if "Serving" in line:
                return
        self.stop()
        pytest.fail(f"gongkai serve did not start: {self.banner}")

    def get(self, target: str, timeout: float = 10) -> tuple[int, bytes]:
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return int(head.split()[1]), body

    def threads(self) -> int:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)
        return self.banner + self.proc.stderr.read().decode("utf-8", "replace")


@pytest.fixture
def site_copy(tmp_path, built_small_site) -> Path:
    root = tmp_path / "root"
    shutil.copytree(built_small_site, root, symlinks=True)
    return root


def serve(root: Path, *extra: str) -> Served:
    return Served(root / "site", root / ".cache" / "search-index", root / "content", *extra)


def test_clients_that_disconnect_mid_download_do_not_end_the_server(site_copy):
    """A download abandoned after its first bytes: the server's next write fails (EPIPE). Under
    SIGPIPE's default action that ended the process (status 141)."""
    (site_copy / "site" / "big.bin").write_bytes(b"x" * (16 << 20))
    served = serve(site_copy)
    try:
        for number in range(20):
            with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert sock.recv(1024)
                if number % 2:  # half of them reset the connection outright
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            time.sleep(0.05)
        time.sleep(0.5)
        assert served.proc.poll() is None, f"the server ended with status {served.proc.returncode}"
        status, body = served.get("/")
        assert status == 200 and "测试县" in body.decode("utf-8")
    finally:
        log = served.stop()
    assert "Traceback" not in log and "BrokenPipe" not in log and "ConnectionReset" not in log, log[-3000:]


def test_idle_connections_hold_no_thread_and_are_closed(site_copy):
    served = serve(site_copy, "--idle-timeout", "2", "--threads", "8")
    idle: list[socket.socket] = []
    try:
        baseline = served.threads()
        for _ in range(300):
            idle.append(socket.create_connection(("127.0.0.1", served.port), timeout=10))
        time.sleep(0.3)
        started = time.monotonic()
        status, _ = served.get("/", timeout=5)
        assert status == 200 and time.monotonic() - started < 1.5  # answered at once, not after the idle ones
        assert served.threads() <= baseline + 8, "a thread per idle connection"
        # After the idle timeout the server has closed every idle connection: reads see EOF.
        deadline = time.monotonic() + 10
        for sock in idle:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                assert sock.recv(1) == b""
            except ConnectionResetError:
                pass
        assert time.monotonic() < deadline
        assert served.get("/")[0] == 200
    finally:
        for sock in idle:
            sock.close()
        log = served.stop()
    assert "Traceback" not in log, log[-3000:]


def test_a_client_that_stalls_mid_request_is_dropped(site_copy):
    served = serve(site_copy, "--idle-timeout", "1", "--threads", "2")
    try:
        stalled = [socket.create_connection(("127.0.0.1", served.port), timeout=10) for _ in range(4)]
        for sock in stalled:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127")  # and nothing more
        started = time.monotonic()
        for sock in stalled:
            data = sock.recv(65536)  # the server gives up on the request: 408 or a plain close
            assert data == b"" or b" 408 " in data.split(b"\r\n", 1)[0]
        assert time.monotonic() - started < 8
        assert served.get("/")[0] == 200
    finally:
        log = served.stop()
    assert "Traceback" not in log, log[-3000:]


def _damage(index: Path) -> None:
    """Truncate the largest file of the index, as a full disk or a crash would leave it."""
    victim = max((p for p in index.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 3])


def test_a_damaged_index_still_serves_the_site_and_the_api_says_503(site_copy):
    _damage(site_copy / ".cache" / "search-index")
    # No content directory: the index cannot be rebuilt here and is served as it is.
    served = Served(site_copy / "site", site_copy / ".cache" / "search-index", site_copy / "no-content")
    try:
        assert served.get("/")[0] == 200
        status, body = served.get("/api/search?q=x")
        assert status == 503 and "damaged" in json.loads(body)["error"]
    finally:
        log = served.stop()
    assert "Traceback" not in log
    assert [line for line in log.splitlines() if "damaged" in line][0].startswith("gongkai serve: ")
