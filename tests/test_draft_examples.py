"""The bundled example cases: each lands in the situation its file is named after, in its
folder's language, and drafts a reply with zero lint errors (or no reply, when off-topic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from replycoach.core.diagnostic import Severity
from replycoach.draft.case import load_case
from replycoach.draft.compose import draft_case
from replycoach.playbook.loader import load_playbook
from replycoach.triage import SITUATIONS

BOOK = load_playbook()
CASES = Path(__file__).resolve().parents[1] / "examples" / "cases"
FILES = sorted(p for p in CASES.glob("*/*") if p.suffix in (".yaml", ".yml", ".json"))


def test_every_situation_has_an_example_in_every_language():
    found = {(p.parent.name, p.stem) for p in FILES}
    assert found == {(lang, s) for lang in ("en", "pl", "bg") for s in SITUATIONS}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_example_case_drafts_cleanly_in_its_situation(path):
    case = load_case(str(path))
    draft = draft_case(case, playbook=BOOK)
    assert draft.situation == path.stem, draft.reasons
    assert draft.language == path.parent.name
    if path.stem == "off-topic":
        assert draft.reply == ""
        return
    assert not [d for d in draft.diagnostics if d.severity >= Severity.ERROR], draft.reply
    assert draft.reply.rstrip().endswith((case.agent.first_name, case.agent.name))
    assert (case.customer.first_name or case.customer.handle) in draft.reply
    for value in case.personal_data().values():
        assert value not in draft.reply
