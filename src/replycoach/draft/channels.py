"""Where a drafted conversation continues, and what personal data a public reply must not show."""

from __future__ import annotations

import re

from replycoach.matching import find_signals
from replycoach.playbook.model import Playbook
from replycoach.triage import cue_signals

NO_DM_CHANNELS = frozenset({"review", "youtube", "forum"})  # public places with no direct messages


def private_channel(case, playbook: Playbook, language: str) -> dict:
    """Where the conversation continues. An address that is personal data stays out of a public reply."""
    given = case.private_channel
    if given is None:
        kind = "email" if case.channel in NO_DM_CHANNELS else "dm"
        return {"kind": kind, "address": None, "given": False}
    address = given.address
    if address and case.public and _is_personal(address, case, playbook, language):
        address = None
    return {"kind": given.kind, "address": address, "given": True, "withheld": address != given.address}


def _is_personal(text: str, case, playbook: Playbook, language: str) -> bool:
    if shows(text, "personal_data", playbook, language):
        return True
    return any(contains(text, value) for value in case.personal_data().values())


def shows(text: str, cue: str, playbook: Playbook, language: str) -> bool:
    """Whether the playbook's signals for a triage cue find anything in `text`."""

    signals = cue_signals(playbook)[cue]
    hits = find_signals(text, playbook.matchers(language), playbook.signals)
    return any(hits.get(s) for s in signals)


def contains(text: str, value: str) -> bool:
    """Whether `value` appears in `text`, also with its digits written with other separators."""
    if not value:
        return False
    if value.lower() in text.lower():
        return True
    digits = re.sub(r"\D", "", value)
    return len(digits) >= 6 and digits in re.sub(r"(?<=\d)[ .\-()/]+(?=\d)", "", text)
