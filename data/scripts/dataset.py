"""The labelled data as the training script and `bench/quality.py` read it.

Items (`data/items/{lang}.jsonl`) hold what an annotator saw; labels
(`data/labels/{lang}.{annotator}.jsonl`) what they decided. The main set of each annotator is
the gold label of its items; the `.overlap` files label items of another annotator's set a
second time and are used only to measure agreement (`agreement.py`). Splits are fixed in
the items (by brand for English, by writing batch for Polish and Bulgarian).

Customer messages without a reply (`data/messages/{lang}.M1.jsonl`, written with the writer's
intended labels) are labelled blind by another annotator (`data/messages/labels/{lang}.MA.jsonl`):
those labels are gold, the writer's are the second opinion for agreement. Batches b02, b05
and b08 are the test split.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "pl", "bg")
SIGNALS = ("apology", "vague-apology", "non-apology", "wait-ack", "fix", "resolved", "clarifying-question",
           "private-channel", "next-update", "prevention", "compensation", "vague-promise", "corporate", "blame",
           "signature")
FINDINGS = ("missing-apology", "no-fix", "no-private-channel", "no-next-update", "no-compensation", "no-prevention",
            "faceless-signature")
KINDS = ("complaint", "question", "outage", "praise", "off-topic")
TONES = ("calm", "angry", "abusive", "ultimatum")


class Reply(NamedTuple):
    """One labelled conversation: the customer's message, the reply, and every label."""

    id: str
    lang: str
    split: str  # train | test
    group: str  # brand or writing batch
    channel: str
    stage: str
    message: str
    reply: str | None
    sentences: list[str]
    sentence_labels: list[list[str]]
    kind: str | None
    tone: str | None
    needs_details: bool | None
    findings: dict[str, bool] | None


def items(lang: str) -> dict[str, dict]:
    """Every item of a language: `items/{lang}.jsonl`, and `items/{lang}.synthetic.jsonl` if any."""
    found: dict[str, dict] = {}
    for path in sorted((DATA / "items").glob(f"{lang}.*jsonl")):
        with open(path, encoding="utf-8") as fh:
            found.update((item["id"], item) for item in map(json.loads, fh))
    return found


def labels(lang: str, overlap: bool = False) -> dict[str, dict[str, dict]]:
    """annotator -> item id -> label record."""
    out: dict[str, dict[str, dict]] = {}
    suffix = ".overlap.jsonl" if overlap else ".jsonl"
    for path in sorted((DATA / "labels").glob(f"{lang}.*{suffix}")):
        if not overlap and path.name.endswith(".overlap.jsonl"):
            continue
        annotator = path.name[len(lang) + 1 : -len(suffix)]
        with open(path, encoding="utf-8") as fh:
            out[annotator] = {record["id"]: record for record in map(json.loads, fh)}
    return out


def replies(lang: str, split: str | None = None) -> list[Reply]:
    """Every labelled conversation of a language (gold: the main set's labels)."""
    known = items(lang)
    out = []
    for records in labels(lang).values():
        for item_id, record in records.items():
            item = known[item_id]
            if split is not None and item["split"] != split:
                continue
            message = record.get("message") or {}
            out.append(Reply(item_id, lang, item["split"], item["group"], item["channel"], item["stage"],
                             item["message"], item["reply"], item["sentences"], record["sentences"],
                             message.get("kind"), message.get("tone"), message.get("needs_details"),
                             record.get("findings")))
    return sorted(out, key=lambda r: r.id)


class Message(NamedTuple):
    """A customer message labelled on its own (no reply)."""

    id: str
    lang: str
    split: str
    group: str
    channel: str
    message: str
    kind: str
    tone: str
    needs_details: bool
    intended: dict  # the writer's labels


MESSAGE_TEST_BATCHES = ("b02", "b05", "b08")


def messages(lang: str, split: str | None = None) -> list[Message]:
    """The message-only set of a language, gold labels from the blind annotator."""
    out = []
    for path in sorted((DATA / "messages").glob(f"{lang}.*.jsonl")):
        gold_path = DATA / "messages" / "labels" / f"{lang}.MA.jsonl"
        with open(gold_path, encoding="utf-8") as fh:
            gold = {record["id"]: record for record in map(json.loads, fh)}
        with open(path, encoding="utf-8") as fh:
            for item in map(json.loads, fh):
                label = gold[item["id"]]
                item_split = "test" if item["group"].rsplit("-", 1)[-1] in MESSAGE_TEST_BATCHES else "train"
                if split is not None and item_split != split:
                    continue
                out.append(Message(item["id"], lang, item_split, item["group"], item["channel"], item["message"],
                                   label["kind"], label["tone"], bool(label["needs_details"]), item["intended"]))
    return out


def signals_by_sentence(doc, hits: dict) -> list[dict[str, list[str]]]:
    """Per sentence of a parsed reply, the signals whose hits overlap its text (stripped), with
    the matched text. By overlap, not by where a hit starts: a sign-off pattern that begins
    at the line break before a name belongs to the name's sentence."""
    out = []
    for span in doc.sentences:
        chunk = doc.analysed[span.start : span.end]
        start = span.start + len(chunk) - len(chunk.lstrip())
        end = span.start + len(chunk.rstrip())
        out.append({name: [h.text for h in found if h.start < end and start < h.end]
                    for name, found in hits.items() if any(h.start < end and start < h.end for h in found)})
    return out
