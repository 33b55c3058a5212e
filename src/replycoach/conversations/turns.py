"""An agent reply in its conversation: which customer messages it answers, whether an agent
already replied, and how long the customer had been waiting.

Lint (`replycoach lint conversations.jsonl`) and audit read a conversation the same way, so
a reply gets the same context from both.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from replycoach.conversations.reading import Conversation, Message

MAX_ANSWERED = 20_000  # characters of customer text kept as the message a reply answers


class Turn(NamedTuple):
    number: int  # the reply's position in its conversation, from 1, counting every message
    reply: Message
    stage: str  # "first", or "follow-up" once an agent has replied
    answered: str  # the customer's messages since the last agent reply (or the last ones before it)
    waiting_since: datetime | None  # the first of those messages; None when the customer wrote nothing new


def agent_turns(conversation: Conversation) -> Iterator[Turn]:
    """Every agent message after the customer's first, in time order."""
    messages = sorted(conversation.messages, key=lambda m: m.at)
    unanswered: list[Message] = []
    last_answered: list[Message] = []
    replied = False
    for number, message in enumerate(messages, 1):
        if message.role == "customer":
            unanswered.append(message)
            continue
        if not unanswered and not last_answered:
            continue  # an agent message before the customer wrote anything: nothing it answers
        answering = unanswered or last_answered
        text = "\n".join(m.text for m in answering if m.text)[:MAX_ANSWERED]
        yield Turn(number, message, "follow-up" if replied else "first", text,
                   unanswered[0].at if unanswered else None)
        replied = True
        last_answered, unanswered = answering, []
