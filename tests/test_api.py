"""The Python API finds what the command line finds, and its playbook travels to workers."""

from __future__ import annotations

import json
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import replycoach
from replycoach.core.errors import UserError
from tests.helpers import run_cli

REPLY = "@marta_k Kindly note we apologize for any inconvenience. Please be advised we'll look into it.\n"


def _found(result):
    return [(d.rule, d.line, d.column) for d in result.diagnostics]


def test_lint_text_finds_what_the_cli_finds(tmp_path):
    (tmp_path / "reply.txt").write_text(REPLY, encoding="utf-8")
    cli = json.loads(run_cli("lint", "--format", "json", "--channel", "twitter", "reply.txt", cwd=tmp_path).stdout)
    expected = [(d["rule"], d["line"], d["column"]) for d in cli["files"][0]["diagnostics"]]
    assert expected and _found(replycoach.lint_text(REPLY, context={"channel": "twitter"})) == expected


def test_a_config_brings_its_selection_and_context(tmp_path):
    config = tmp_path / ".replycoach.yaml"
    config.write_text("select: [corporate-speak]\ncontext: {channel: email}\n", encoding="utf-8")
    result = replycoach.lint_text(REPLY, config=config)
    assert {d.rule for d in result.diagnostics} == {"corporate-speak"} and result.context.channel == "email"
    config.write_text("select: [corporate-spek]\n", encoding="utf-8")
    with pytest.raises(UserError, match="corporate-spek"):
        replycoach.lint_text(REPLY, config=config)


def test_lint_many_streams_each_reply_with_its_own_context():
    replies = iter([REPLY, ("Sorry, Marta! I've sent a new parcel today. - Ann", {"kind": "complaint"})])
    results = replycoach.lint_many(replies, context={"channel": "twitter"})
    first = next(results)  # made before the second reply is read
    assert first.path == "<reply 1>" and first.diagnostics
    second = next(results)
    assert second.context.kind == "complaint" and len(second.diagnostics) < len(first.diagnostics)


def _lint_in_worker(args):
    playbook, text = args
    return _found(replycoach.lint_text(text, playbook=playbook, context={"channel": "twitter"}))


def test_a_loaded_playbook_pickles_and_lints_the_same_in_worker_processes():
    loaded = replycoach.load()
    assert pickle.loads(pickle.dumps(loaded.playbook)).rules == loaded.playbook.rules
    here = _found(replycoach.lint_text(REPLY, playbook=loaded, context={"channel": "twitter"}))
    with ProcessPoolExecutor(max_workers=2) as pool:
        there = list(pool.map(_lint_in_worker, [(loaded.playbook, REPLY)] * 3))
    assert here and there == [here] * 3
