"""Auditing a history of conversations: how fast, and how well, a team really answered.

The input is read as a stream (`reading`), timed per conversation (`figures`), and its agent
replies are linted with the same engine and playbook as `replycoach lint` (`replies`) and
tallied (`quality`).

Nothing here prints. Bad rows are counted per reason with their first few line numbers,
never dropped silently; only a file that cannot be read at all raises `UserError`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from replycoach.audit.figures import Group, histogram
from replycoach.audit.quality import MAX_AUTHORS, QualityTally
from replycoach.audit.replies import _WORKER, ReplyKey, ReplyLinter
from replycoach.conversations.problems import SKIPS, Problems
from replycoach.conversations.reading import Conversation, Message, Source, _csv_text, open_source, read_csv, read_jsonl
from replycoach.conversations.turns import MAX_ANSWERED
from replycoach.core.errors import UserError
from replycoach.kinds import kind_of

PARALLEL_MIN_BYTES = 200_000  # below this, forking workers costs more than it saves


@dataclass
class AuditOptions:
    input_format: str = "auto"
    language: str | None = None
    top: int = 5
    jobs: int = 0  # 0: all cores when the input is big enough
    lint: bool = True
    playbooks: tuple[str, ...] = ()
    config: Path | None = None


def default_workers(size: int | None) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    if size is not None and size < PARALLEL_MIN_BYTES:
        return 1
    return cores


class Auditor:
    """Folds conversations into the figures; one instance per run."""

    def __init__(self, playbook, selection, options: AuditOptions, workers: int) -> None:
        self.playbook = playbook
        self.options = options
        self.problems = Problems()
        self.targets = dict(playbook.settings.get("first_reply_target_minutes") or {})
        self.reference = playbook.settings.get("industry_average_minutes") or 157
        self.conversations_read = 0
        self.customer_messages = self.agent_messages = 0
        self.overall = Group()
        self.splits: dict[str, dict[str, Group]] = {"visibility": {}, "channel": {}, "day": {}, "author": {}}
        self.author_replies: Counter[str] = Counter()
        self._channels: dict[str, tuple] = {}  # channel -> (visibility, target, lint channel, groups)
        self._days = (self._group("day", "weekday"), self._group("day", "weekend"))
        names = list(playbook.checklist)
        self.quality = QualityTally(names, options.top)
        self.linter: ReplyLinter | None = None
        if options.lint:
            _WORKER.update(playbook=playbook, selection=selection, checklist=names,
                           quoting={r["name"] for r in playbook.rules if kind_of(r).quotes_match})
            for lang in playbook.languages:
                playbook.matchers(lang)  # compile once here, so forked workers inherit them
            self.linter = ReplyLinter(self.quality, self.problems, workers, options.language)

    def _group(self, split: str, key: str) -> Group:
        groups = self.splits[split]
        group = groups.get(key)
        if group is None:
            if split == "author" and len(groups) >= MAX_AUTHORS:
                key = "(other authors)"
                group = groups.get(key)
            if group is None:
                group = groups[key] = Group()
        return group

    def _channel(self, channel: str) -> tuple:
        """What a conversation's channel implies: visibility, first-reply target, lint context, groups."""
        from replycoach.reply.context import CHANNELS, PRIVATE_CHANNELS, PUBLIC_CHANNELS, target_minutes

        if channel in PUBLIC_CHANNELS:
            visibility = "public"
        elif channel in PRIVATE_CHANNELS:
            visibility = "private"
        else:
            visibility = "unknown"
        # an unknown visibility is judged as the common case, a public complaint (as the linter does)
        target = target_minutes(self.targets, channel, "public" if visibility == "unknown" else visibility)
        info = (visibility, target, channel if channel in CHANNELS else None,
                self._group("visibility", visibility), self._group("channel", channel or "(none)"))
        self._channels[channel] = info
        return info

    def add(self, conv: Conversation) -> None:
        self.conversations_read += 1
        messages = conv.messages
        if len(messages) > 1:
            messages.sort(key=_at)
        first_customer = None
        for m in messages:
            if m.role == "customer":
                self.customer_messages += 1
                if first_customer is None:
                    first_customer = m
            else:
                self.agent_messages += 1
        if first_customer is None:
            if messages:
                self.problems.skip("no-customer-message", conv.line)
            return
        channel = conv.channel
        if not channel:
            self.problems.note("missing-channel", conv.line)
        info = self._channels.get(channel) or self._channel(channel)
        visibility, target, lint_channel, visibility_group, channel_group = info
        if visibility == "unknown" and channel:
            self.problems.note("unknown-channel", conv.line, channel)
        waiting_since: datetime | None = None
        first_reply: Message | None = None
        unanswered: list[str] = []
        answered = ""
        for m in messages:
            if m.role == "customer":
                if waiting_since is None:
                    waiting_since = m.at
                if m.text:
                    unanswered.append(m.text)
                continue
            if m.at < first_customer.at:
                self.problems.skip("agent-before-customer", m.line)
                continue
            if first_reply is None:
                first_reply = m
                stage = "first"
            else:
                stage = "follow-up"
            self.author_replies[m.author] += 1
            if self.linter is not None:
                if unanswered:
                    answered, unanswered = "\n".join(unanswered)[:MAX_ANSWERED], []
                if m.text and not m.text.isspace():
                    wait = (m.at - waiting_since).total_seconds() if waiting_since is not None else None
                    read = self.linter.read_message(answered)
                    self.linter.submit(ReplyKey(m.text, lint_channel, stage, wait, read), m.line, conv.id,
                                       m.author, waiting_since, m.at, answered)
                else:
                    self.problems.note("missing-text", m.line)
            waiting_since = None
        minutes = (first_reply.at - first_customer.at).total_seconds() / 60 if first_reply else None
        reference = self.reference
        self.overall.add(minutes, target, reference)
        visibility_group.add(minutes, target, reference)
        channel_group.add(minutes, target, reference)
        self._days[first_customer.local_weekday >= 5].add(minutes, target, reference)
        if first_reply is not None:
            self._group("author", first_reply.author).add(minutes, target, reference)

    def finish(self) -> None:
        if self.linter is not None:
            self.linter.finish()

    def report(self, source_name: str, source_format: str) -> dict:
        settings = {
            "playbook": self.playbook.name,
            "first_reply_target_minutes": self.targets,
            "targets_used": {(k or "(none)"): v[1] for k, v in sorted(self._channels.items())},
            "industry_average_minutes": self.reference,
            "quantiles": "linear interpolation between closest ranks (type 7, as numpy and Excel PERCENTILE.INC)",
            "weekend": "Saturday and Sunday in the time zone of the customer's first message",
            "within_target": "answered within the channel's target, out of all conversations (never answered "
                             "counts as missed)",
        }
        ordered = sorted(self.overall.minutes)  # the one temporary copy: ~32 bytes a conversation
        overall = self.overall.summary(ordered=ordered)
        marks = [info[1] for info in self._channels.values()] + [self.reference]
        overall["histogram"] = histogram(ordered, marks)
        del ordered
        split = {name: {k: g.summary() for k, g in sorted(groups.items(), key=lambda kv: -kv[1].conversations)}
                 for name, groups in self.splits.items() if name != "author"}
        authors = []
        for name, group in sorted(self.splits["author"].items(), key=lambda kv: (-kv[1].answered, kv[0])):
            authors.append({"author": name, "first_replies": group.answered,
                            "replies": self.author_replies.get(name, 0), **group.summary(with_rate=False)})
        for row in authors:
            row.pop("answered", None)
        vis = split["visibility"]
        gap = {
            "public": _gap_side(vis.get("public")),
            "private": _gap_side(vis.get("private")),
        }
        if gap["public"]["median_minutes"] is not None and gap["private"]["median_minutes"] is not None:
            gap["median_difference_minutes"] = round(gap["private"]["median_minutes"]
                                                     - gap["public"]["median_minutes"], 2)
        if gap["public"]["reply_rate"] is not None and gap["private"]["reply_rate"] is not None:
            gap["reply_rate_difference"] = round(gap["public"]["reply_rate"] - gap["private"]["reply_rate"], 4)
        report = {
            "input": {
                "path": source_name, "format": source_format, "conversations": self.conversations_read,
                "timed_conversations": self.overall.conversations,
                "messages": self.customer_messages + self.agent_messages,
                "customer_messages": self.customer_messages, "agent_messages": self.agent_messages,
            },
            "settings": settings,
            "first_reply": overall,
            "loudness_gap": gap,
            "by_visibility": vis,
            "by_channel": split["channel"],
            "by_day": split["day"],
            "by_author": authors,
            **self.problems.to_dict(),
        }
        if self.linter is not None:
            labels = {name: item.get("label", name) for name, item in self.playbook.checklist.items()}
            quality = self.quality.summary(labels)
            quality["agent_replies"] = sum(self.author_replies.values())
            quality["not_linted"] = sum(t["count"] for t in report["notes"]
                                        if t["note"] in ("missing-text", "unsupported-language", "lint-failed"))
            per_author = self.quality.author_rows()
            for row in authors:
                row.update(per_author.get(row["author"], {}))
            report["quality"] = quality
            report["run"] = {"workers": self.linter.workers, "distinct_replies_linted": self.linter.linted_distinct,
                             "repeats_not_relinted": self.linter.memo_hits}
        return report


def _at(message: Message) -> datetime:
    return message.at


def _gap_side(summary: dict | None) -> dict:
    if not summary:
        return {"conversations": 0, "median_minutes": None, "reply_rate": None}
    return {"conversations": summary["conversations"], "median_minutes": summary["median_minutes"],
            "reply_rate": summary["reply_rate"]}


def run_audit(path: str, options: AuditOptions, progress: Callable[[int, int | None], None] | None = None,
              started: Callable[[Source], None] | None = None) -> dict:
    """Audit one file and return every figure as a JSON-able dict.

    `progress(bytes_read, total_bytes)` is called now and then; `started(source)` once the
    input is open and the workers exist (the moment to show a progress bar).
    """
    from replycoach.lint.runner import Linter, LintOptions

    linter_setup = Linter(LintOptions(playbooks=options.playbooks, config=options.config))
    where = Path(path) if path != "-" else None
    config = linter_setup.configs.for_path(where)
    playbook = linter_setup.playbook_for(config)
    selection = linter_setup.selection_for(config)
    if options.language and options.language not in playbook.languages:
        raise UserError(f"language {options.language!r} has no playbook lexicon "
                        f"(available: {', '.join(playbook.languages)})", "--lang")
    source = open_source(path, options.input_format)
    auditor = None
    try:
        workers = options.jobs or default_workers(source.size)
        auditor = Auditor(playbook, selection, options, workers if options.lint else 1)
        if started is not None:
            started(source)
        lines = source.lines
        if progress is not None:
            lines = _reporting(lines, source, progress)
        if source.format == "csv":
            conversations = read_csv(_csv_text(lines, auditor.problems), auditor.problems, name=source.name)
        else:
            conversations = read_jsonl(lines, auditor.problems, name=source.name)
        for conv in conversations:
            auditor.add(conv)
        auditor.finish()
    finally:
        if auditor is not None and auditor.linter is not None:
            auditor.linter.close()
        source.close()
    if auditor.conversations_read == 0:
        skipped = auditor.problems.skips
        if skipped:
            reason, tally = next(iter(skipped.items()))
            raise UserError(f"no conversation could be read; e.g. line {tally.lines[0]}: {SKIPS[reason][1]}"
                            f" (is this a {source.format.upper()} file of conversations?)", source.name)
        raise UserError("no conversations in this file", source.name)
    if progress is not None:
        progress(source.size or source.position(), source.size)
    return auditor.report(source.name, source.format)


def _reporting(lines, source: Source, progress) -> Iterator:
    every = 2000
    for i, item in enumerate(lines):
        if i % every == 0:
            progress(source.position(), source.size)
        yield item
