"""Shared fixtures.

The whole session shares one cache directory, made fresh for the session: no test can pass
because of a cache the developer's machine left behind, and the built-in playbook is
validated once, not once per test (validating it takes most of a second; the suite runs
hundreds of commands). Tests about caching point `REPLYCOACH_CACHE_DIR` elsewhere themselves.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    before = os.environ.get("REPLYCOACH_CACHE_DIR")
    os.environ["REPLYCOACH_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("REPLYCOACH_NO_CACHE", None)
    yield
    if before is None:
        os.environ.pop("REPLYCOACH_CACHE_DIR", None)
    else:
        os.environ["REPLYCOACH_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(scope="session")
def playbook():
    from replycoach.playbook.loader import load_playbook

    return load_playbook()
