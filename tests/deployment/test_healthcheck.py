"""The image's HEALTHCHECK command (`python -m checkin.healthcheck`) against a real server."""

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from checkin.healthcheck import url


@pytest.mark.parametrize(("bind", "expected"), [
    ("0.0.0.0:8000", "http://127.0.0.1:8000/healthz"),
    ("127.0.0.1:8001", "http://127.0.0.1:8001/healthz"),
    ("[::]:8000", "http://127.0.0.1:8000/healthz"),
    (":9000", "http://127.0.0.1:9000/healthz"),
])
def test_the_address_gunicorn_binds_is_the_one_checked(bind, expected):
    assert url(bind) == expected


def serve(status: int):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_check(port: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "checkin.healthcheck"], capture_output=True, text=True,
                          env={"BIND": f"127.0.0.1:{port}", "PATH": ""}, timeout=30)


def test_healthy_when_healthz_answers_200():
    server = serve(200)
    try:
        assert run_check(server.server_address[1]).returncode == 0
    finally:
        server.shutdown()


def test_unhealthy_when_healthz_fails_or_nothing_listens():
    server = serve(503)
    port = server.server_address[1]
    try:
        assert run_check(port).returncode == 1
    finally:
        server.shutdown()
        server.server_close()
    result = run_check(port)  # nothing listens there now
    assert result.returncode == 1 and "unhealthy" in result.stderr
