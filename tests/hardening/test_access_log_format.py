"""Issue 19: search terms in URLs landed verbatim in the web server's access log. The access log format
Tobira ships (config/gunicorn.py) masks them: a real gunicorn with that file, a request, its log line."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from config.access_log import mask_query

ROOT = Path(__file__).resolve().parents[2]


def test_search_parameters_are_masked_and_the_rest_kept():
    assert mask_query("GET /applicants/?q=Perera%20Suriya&page=2 HTTP/1.1") == (
        "GET /applicants/?q=***&page=2 HTTP/1.1"
    )
    assert (
        mask_query("/applicants/?sort=name&card=9f86d081&Q=ab12") == "/applicants/?sort=name&card=***&Q=***"
    )
    assert mask_query("q=&page=3") == "q=&page=3"
    assert mask_query("/api/v1/referrals/?quality=high") == "/api/v1/referrals/?quality=high"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_shipped_gunicorn_configuration_masks_the_access_log(tmp_path):
    log = tmp_path / "access.log"
    port = _free_port()
    app = tmp_path / "hello.py"
    app.write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'ok']\n"
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.py", "--chdir", str(tmp_path), "hello:app"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_ACCESS_LOG": str(log),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/applicants/?q=Nguyen%20Thi%20Lan&page=2"
        request = urllib.request.Request(
            url, headers={"Referer": f"http://127.0.0.1:{port}/?q=AB12345678CD", "X-Request-ID": "r-1"}
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                assert urllib.request.urlopen(request, timeout=2).read() == b"ok"
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
        deadline = time.monotonic() + 10
        while "GET" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, "no access-log line within 10 s"
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    line = log.read_text().strip().splitlines()[0]
    assert '"GET /applicants/?q=***&page=2 HTTP/1.1" 200' in line, line
    assert "Nguyen" not in line and "AB12345678CD" not in line and "Lan" not in line
    assert '"http://127.0.0.1:' in line and "/?q=***" in line and line.endswith(" r-1")
