"""Reading a customer's message: what kind it is, its tone, and which situation a reply faces.

`classify_message` is the one reading of a customer's message that lint (a reply's
`in_reply_to`), `replycoach triage`, draft and audit share: its kind, tone, and whether it
gives anything concrete to act on, from the playbook's detector model and its cue signals
(swearing and ultimatums found by the lexicon are certain; the model decides the rest).

`triage` then picks the draft's situation.

The reply to a troll's ultimatum, a vague grumble, a political rant and a customer who
posted their own phone number are different replies (seeds 002, 004, 003), so the draft
command decides this first and says why. The words that give a situation away are not kept
here: triage runs the playbook's own signal matchers over the complaint, and the playbook's
`settings.triage` maps each cue (abuse, ultimatum, personal_data, off_topic, concrete) to the
signals that show it. A brand that adds a swear word to `profanity` changes triage too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from replycoach.core.errors import UserError
from replycoach.matching import find_signals
from replycoach.playbook.model import Playbook

# the context's kinds and tones (`reply.context.CHOICES`), in the order a tie is broken
KINDS = ("complaint", "question", "outage", "praise", "off-topic")
TONES = ("calm", "angry", "abusive", "ultimatum")

# A message is read as a complaint (the default when there is no message at all) unless the
# model gives another kind at least this probability: thanking someone whose app crashes, or
# leaving a complaint unanswered as "off-topic", is worse than apologising to a fan. On the
# train split's cross-validation this costs one point of accuracy (0.80 -> 0.79) and calls a
# complaint something else 62 times instead of 103.
KIND_CONFIDENCE = 0.6
# ... and praise for a message that names something concrete (an app, an order, "stops",
# "late") needs more: on the train split's cross-validation this costs 0.3 points of accuracy.
PRAISE_WITH_A_PROBLEM = 0.7

SITUATIONS = ("complaint", "needs-details", "hostile", "off-topic", "outage", "personal-data-exposed", "praise",
              "question")
CUES = ("abuse", "ultimatum", "personal_data", "off_topic", "concrete", "resolved")
DATA_NAMES = {"email-address": "e-mail address", "phone-number": "phone number", "card-number": "card number",
              "order-number": "order number", "street-address": "street address"}


@dataclass(frozen=True)
class Triage:
    situation: str
    reasons: list[str]
    tone: str | None = None  # the lint context's `tone` when the customer is hostile
    exposed: tuple[str, ...] = ()  # signals of the personal data the customer posted publicly
    found: dict[str, list[str]] = field(default_factory=dict)  # cue -> matched text, for coaching

    @property
    def replies(self) -> bool:
        return self.situation != "off-topic"


def cue_signals(playbook: Playbook) -> dict[str, list[str]]:
    """The playbook's cue -> signals map, checked against the signals it defines."""
    configured = playbook.settings.get("triage") or {}
    for cue, signals in configured.items():
        if cue not in CUES:
            raise UserError(f"settings.triage: unknown cue {cue!r} (expected one of: {', '.join(CUES)})", "playbook")
        for signal in signals:
            if signal not in playbook.signals:
                raise UserError(f"settings.triage.{cue}: undefined signal {signal!r}", "playbook")
    return {cue: list(configured.get(cue, ())) for cue in CUES}


class MessageVerdict(NamedTuple):
    """What a customer's message is, and why replycoach thinks so."""

    kind: str
    tone: str
    needs_details: bool
    reasons: tuple[str, ...]  # one line per judgement, for the output
    scores: dict[str, float]  # the model's probabilities (empty without a model)
    cues: dict[str, list[str]]  # cue -> the words that showed it


def classify_message(text: str, playbook: Playbook, language: str) -> MessageVerdict:
    """Kind, tone and needs-details of a customer's message."""
    hits = find_signals(text, playbook.matchers(language), playbook.signals) if text.strip() else {}
    cues = {cue: _matched(hits, signals) for cue, signals in cue_signals(playbook).items()}
    model = playbook.detector() if text.strip() else None
    scores: dict[str, float] = {}
    reasons = []
    if model is not None:
        chosen, p = model.choose(text, [f"kind:{k}" for k in KINDS])
        kind = chosen.split(":", 1)[1]
        scores[chosen] = p
        if kind == "praise" and cues["concrete"] and p < PRAISE_WITH_A_PROBLEM:
            reasons.append(f"kind complaint: the detector model leans to praise ({p:.2f}) but the message names "
                           f"a problem ({_quote(cues['concrete'])})")
            kind = "complaint"
        elif kind != "complaint" and p < KIND_CONFIDENCE:
            reasons.append(f"kind complaint: the detector model leans to {kind} ({p:.2f}) but not enough to "
                           "answer it as one")
            kind = "complaint"
        else:
            reasons.append(f"kind {kind}: the detector model ({p:.2f})")
    else:
        kind = "complaint"
        reasons.append("kind complaint: no detector model, so the common case")
    if cues["off_topic"] and not cues["concrete"] and kind != "off-topic":
        reasons[-1] = (f"kind off-topic: about something other than the business ({_quote(cues['off_topic'])}) "
                       "and naming nothing it sold or did")
        kind = "off-topic"
    if cues["ultimatum"]:
        tone, why = "ultimatum", f"an ultimatum ({_quote(cues['ultimatum'])})"
    elif cues["abuse"]:
        tone, why = "abusive", f"swearing or insults ({_quote(cues['abuse'])})"
    elif model is not None:
        chosen, p = model.choose(text, [f"tone:{t}" for t in TONES])
        tone, why = chosen.split(":", 1)[1], f"the detector model ({p:.2f})"
        scores[chosen] = p
    else:
        tone, why = "calm", "nothing hostile found"
    reasons.append(f"tone {tone}: {why}")
    if model is not None:
        scores["needs-details"] = model.scores(text, ["needs-details"]).get("needs-details", 0.0)
    threshold = playbook.detector_settings.get("needs_details") or 0.5
    vague = scores.get("needs-details", 0.0) >= threshold and kind in ("complaint", "outage", "question")
    if vague and cues["concrete"]:
        vague = False
    reasons.append("nothing concrete to act on: ask first" if vague else "gives something concrete to act on"
                   if kind in ("complaint", "outage", "question") else "needs no details")
    return MessageVerdict(kind, tone, vague, tuple(reasons), scores, cues)


def triage(case, playbook: Playbook, language: str) -> Triage:
    """The situation a drafted reply faces. What the case states beats what the text suggests,
    and protecting the customer's data beats everything the text suggests."""
    text = case.complaint.text or ""
    if case.kind == "off-topic":
        return Triage("off-topic", ["the case marks it off-topic (kind: off-topic)", NO_REPLY])
    if case.kind == "outage":
        return Triage("outage", ["the case is a known incident (kind: outage): apologise to each affected "
                                 "customer, with compensation, before they have to complain"])
    if case.kind == "praise":
        return Triage("praise", ["the case marks it as praise (kind: praise): thank the customer, briefly"])
    verdict = classify_message(text, playbook, language)
    hits = find_signals(text, playbook.matchers(language), playbook.signals) if text.strip() else {}
    exposed = _exposed(case.personal_data(), hits, cue_signals(playbook)["personal_data"], text)
    return _situation(verdict, exposed, case.public, case.channel, case.kind, bool(case.issue.summary),
                      case.resolution is not None)


def triage_message(text: str, playbook: Playbook, language: str, public: bool = True,
                   channel: str = "") -> tuple[MessageVerdict, Triage]:
    """A customer's message alone (`replycoach triage`): what it is, and whether to answer it."""
    verdict = classify_message(text, playbook, language)
    hits = find_signals(text, playbook.matchers(language), playbook.signals) if text.strip() else {}
    exposed = _exposed({}, hits, cue_signals(playbook)["personal_data"], text)
    return verdict, _situation(verdict, exposed, public, channel or "public", None, False, False)


# Hostility the lexicon did not see is only trusted when the model is fairly sure: calling a calm
# customer hostile changes the whole reply, and a missed insult still gets a polite one.
HOSTILE_BY_MODEL = 0.6

NO_REPLY = ("a reply is not recommended: answering posts that are not about the business can start the very "
            "crisis you want to avoid")


def _situation(verdict: MessageVerdict, exposed: tuple[str, ...], public: bool, channel: str, given_kind,
               has_summary: bool, has_resolution: bool) -> Triage:
    cues = verdict.cues
    hostile_reasons = []
    if cues["abuse"]:
        hostile_reasons.append(f"swearing or insults in the complaint ({_quote(cues['abuse'])})")
    if cues["ultimatum"]:
        hostile_reasons.append(f"an ultimatum or threat ({_quote(cues['ultimatum'])})")
    concrete = cues["concrete"]
    kind = given_kind or verdict.kind
    off_topic = kind == "off-topic" and not concrete and not has_summary
    tone_score = verdict.scores.get(f"tone:{verdict.tone}", 0.0)
    if not hostile_reasons and not off_topic and verdict.tone in ("abusive", "ultimatum") \
            and tone_score >= HOSTILE_BY_MODEL:
        hostile_reasons.append(f"the message reads as {verdict.tone} (the detector model, {tone_score:.2f})")
    tone = verdict.tone if hostile_reasons and verdict.tone in ("abusive", "ultimatum") else None
    if exposed and public:
        names = ", ".join(DATA_NAMES.get(s, s.replace("-", " ")) for s in exposed)
        reasons = [f"the customer posted their own personal data in a public {channel} post ({names})",
                   "ask them to remove it, move to the private channel, and never repeat the data"]
        if hostile_reasons:
            reasons.append("the complaint is also hostile: " + "; ".join(hostile_reasons))
        return Triage("personal-data-exposed", reasons, tone=tone, exposed=exposed, found=cues)
    if hostile_reasons:
        return Triage("hostile", [*hostile_reasons,
                                  "stay calm, polite and firm; explain; offer what the case allows and nothing more "
                                  "under pressure; never mirror the language"], tone=tone, found=cues)
    if off_topic:
        topic = f" ({_quote(cues['off_topic'])})" if cues["off_topic"] else ""
        return Triage("off-topic", [f"the post is about something other than the business{topic}", NO_REPLY],
                      found=cues)
    if kind == "praise":
        return Triage("praise", ["the customer is praising, not complaining: thank them, briefly"], found=cues)
    if kind == "outage":
        return Triage("outage", ["the customer reports something down for everyone: apologise, say what is known "
                                 "and when they will hear more"], found=cues)
    if kind == "question" and not has_summary:
        return Triage("question", ["the customer asks something and nothing has gone wrong: answer it, no "
                                   "apology owed"], found=cues)
    if verdict.needs_details and not concrete and not has_summary and not has_resolution:
        return Triage("needs-details", ["the complaint names nothing concrete to act on (no order, product, charge "
                                        "or fault) and the case has no issue.summary",
                                        "apologise and ask the one or two questions needed before promising anything"],
                      found=cues)
    if has_summary:
        why = "the case says what went wrong (issue.summary)"
    elif concrete:
        why = f"the complaint names concrete details ({_quote(concrete)})"
    else:
        why = "the complaint says what went wrong"
    return Triage("complaint", [why, "the normal path: apologise, fix, make it up, private channel, a real name"],
                  found=cues)


def _matched(hits, signals) -> list[str]:
    seen: dict[str, None] = {}
    for signal in signals:
        for hit in sorted(hits.get(signal, ()), key=lambda h: h.start):
            seen.setdefault(hit.text.strip(), None)
    return list(seen)


def _exposed(personal: dict[str, str], hits, signals: list[str], text: str) -> tuple[str, ...]:
    """Personal-data signals found in the complaint, plus the case's own data quoted in it."""
    found = [s for s in signals if hits.get(s)]
    folded = _fold(text)
    for signal, value in personal.items():
        if signal in signals and signal not in found and len(_fold(value)) >= 4 and _fold(value) in folded:
            found.append(signal)
    return tuple(found)


def _fold(text: str) -> str:
    """Lower case without spaces, dashes or dots, so '+48 601-234-567' finds '48601234567'."""
    return "".join(c for c in text.lower() if c.isalnum() or c == "@")


def _quote(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"“{item}”" for item in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
