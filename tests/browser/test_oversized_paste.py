"""An editor pastes 10 MB into the real paste form, in a real browser, on both servers the project
runs: Django's own (what `make run` starts, and what live_server is) and gunicorn (production).
Each must show the readable 413 page; nothing may be saved."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import psutil
import pytest
from django.contrib.auth.models import User
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import ROOT, database_url_for_subprocess, wait_for
from verification.models import Article, Extraction

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
APP_NAME = "newsroom-413-test"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"GET /login/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return sock.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


GUNICORN: list[subprocess.Popen[bytes]] = []


def server_memory(server: str) -> int:
    """Resident bytes of gunicorn's worker process (the one that answered)."""
    if server != "gunicorn":
        return 0
    (worker,) = psutil.Process(GUNICORN[-1].pid).children()
    return int(worker.memory_info().rss)


@pytest.fixture
def gunicorn_url() -> Iterator[str]:
    """gunicorn as the Dockerfile runs it, on the test database."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        "DATABASE_CONN_MAX_AGE": "0",
        "PGAPPNAME": APP_NAME,  # libpq names gunicorn's sessions, to wait for them below
    }
    env.setdefault("DJANGO_SECRET_KEY", "test-only-gunicorn-secret-key-" + "x" * 40)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    proc = subprocess.Popen(
        [gunicorn, "newsroom.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    GUNICORN.append(proc)
    try:
        if not wait_for(lambda: _answers(port) or proc.poll() is not None, timeout=60) or proc.poll() is not None:
            pytest.fail(f"gunicorn did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        # The test database is dropped after the test: let its backends of gunicorn's go first.
        assert wait_for(lambda: gunicorn_sessions() == 0, timeout=15), "gunicorn's database sessions outlived it"


def gunicorn_sessions() -> int:
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME])
        return int(cursor.fetchone()[0])


@pytest.mark.parametrize("server", ["django", "gunicorn"])
def test_a_10_mb_paste_shows_the_readable_413_page(browser, request, server: str, alice: User) -> None:
    base = request.getfixturevalue("live_server").url if server == "django" else request.getfixturevalue("gunicorn_url")
    page = browser.new_context().new_page()
    log_in(page, base, "alice")
    page.get_by_role("link", name="Paste an article").first.click()
    page.get_by_label("Title").fill("A very long paste")
    # 10 MB typed in by script: fill() would send it keystroke by keystroke through the protocol.
    page.get_by_label("Article").evaluate("el => { el.value = 'word '.repeat(2000000); }")
    before = server_memory(server)
    page.get_by_role("button", name="Submit for extraction").click()
    # click() does not wait for the page it opens: wait for the answer before reading anything.
    expect(page.locator("body")).to_contain_text("That is too large to paste")
    if server == "gunicorn":
        # Refused from the header: the 10 MB were never read into the process that serves pages.
        assert server_memory(server) - before < 3_000_000

    text = page.locator("body").inner_text()
    assert "That is too large to paste" in text, text[:500]
    assert "Nothing was saved" in text
    assert "server error" not in text.lower()
    assert not Article.objects.exists() and not Extraction.objects.exists()
