"""Shared fixtures. Every test runs with its own cache directory, so no test can pass
because of a playbook cache another test (or the developer's machine) left behind."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(scope="session")
def playbook():
    from replycoach.playbook.loader import load_playbook

    return load_playbook()
