"""Reply-quality tallies: what the audit keeps of each linted reply, and the rates over all of them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from replycoach.audit.figures import _share

MAX_AUTHORS = 2_000  # distinct authors tracked; the rest are pooled as "(other authors)"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the audit keeps of one linted reply: enough to count, nothing to re-render."""

    status: str  # "ok" | "unsupported-language" | "lint-failed"
    language: str | None = None
    checklist: tuple[bool, ...] = ()
    rules: tuple[tuple[str, str, int], ...] = ()  # (name, code, severity) per rule that fired
    counts: tuple[int, int, int] = (0, 0, 0)  # errors, warnings, infos
    detail: str | None = None


class QualityTally:
    """Reply-quality aggregates: checklist rates, rule hits, worst replies, per author.

    Folding a reply only bumps a counter for its verdict (replies share verdicts: every
    repeat of a canned reply, and many different replies, are judged alike); the rates
    are expanded from those counts once, at the end.
    """

    def __init__(self, checklist_names: list[str], top: int) -> None:
        self.names = checklist_names
        self.top = top
        self.verdicts: list[Verdict] = []
        self.index: dict[Verdict, int] = {}
        self.counts: list[int] = []  # replies per verdict index
        self.by_author: dict[str, Counter[int]] = {}
        self._worst: dict[str, dict] = {}

    def intern(self, verdict: Verdict) -> int:
        idx = self.index.get(verdict)
        if idx is None:
            idx = self.index[verdict] = len(self.verdicts)
            self.verdicts.append(verdict)
            self.counts.append(0)
        return idx

    def fold(self, author: str, idx: int) -> None:
        self.counts[idx] += 1
        per_author = self.by_author.get(author)
        if per_author is None:
            if len(self.by_author) >= MAX_AUTHORS:
                author = "(other authors)"
            per_author = self.by_author.setdefault(author, Counter())
        per_author[idx] += 1

    def offer_worst(self, line: int, conversation: str, author: str, text: str, verdict: Verdict,
                    findings: list[tuple]) -> None:
        """Keep the `top` worst distinct replies: most errors, then warnings, then earliest line."""
        if not any(verdict.counts) or self.top <= 0:
            return
        known = self._worst.get(text)
        if known is not None and known["line"] <= line:
            return
        self._worst[text] = {
            "line": line, "conversation": conversation, "author": author, "text": text,
            "language": verdict.language, "errors": verdict.counts[0], "warnings": verdict.counts[1],
            "infos": verdict.counts[2],
            "findings": [{"rule": r, "code": c, "severity": s, "message": m, "match": x}
                         for r, c, s, m, x in findings],
        }
        if len(self._worst) > self.top * 4:
            keep = self._ranked()[: self.top]
            self._worst = {w["text"]: w for w in keep}

    def _ranked(self) -> list[dict]:
        return sorted(self._worst.values(), key=lambda w: (-w["errors"], -w["warnings"], -w["infos"], w["line"]))

    def author_rows(self) -> dict[str, dict]:
        rows = {}
        for author, counter in self.by_author.items():
            linted = sum(counter.values())
            errors = sum(n for idx, n in counter.items() if self.verdicts[idx].counts[0])
            hits = [0] * len(self.names)
            for idx, n in counter.items():
                for i, hit in enumerate(self.verdicts[idx].checklist):
                    hits[i] += hit * n
            rates = {name: _share(h, linted) for name, h in zip(self.names, hits, strict=True)}
            rows[author] = {"linted": linted, "with_errors_share": _share(errors, linted), "checklist_rates": rates}
        return rows

    def summary(self, labels: dict[str, str]) -> dict:
        names = {3: "error", 2: "warning", 1: "info"}
        linted = with_errors = 0
        checklist = [0] * len(self.names)
        severities = [0, 0, 0]
        languages: Counter[str] = Counter()
        rules: Counter[tuple[str, str]] = Counter()  # (name, code) -> replies it fired on
        rule_severity: dict[str, set[int]] = {}  # a graded rule can fire at several
        for verdict, n in zip(self.verdicts, self.counts, strict=True):
            linted += n
            with_errors += n if verdict.counts[0] else 0
            languages[verdict.language or "?"] += n
            for i, hit in enumerate(verdict.checklist):
                checklist[i] += hit * n
            for i, count in enumerate(verdict.counts):
                severities[i] += count * n
            for name, code, severity in verdict.rules:
                rules[(name, code)] += n
                rule_severity.setdefault(name, set()).add(severity)
        return {
            "linted": linted,
            "languages": dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
            "replies_with_errors": with_errors,
            "replies_with_errors_share": _share(with_errors, linted),
            "findings": dict(zip(("errors", "warnings", "infos"), severities, strict=True)),
            "checklist": [
                {"name": name, "label": labels.get(name, name), "count": count, "rate": _share(count, linted)}
                for name, count in zip(self.names, checklist, strict=True)
            ],
            "rules": [
                {"rule": name, "code": code, "severity": names[max(rule_severity[name])],
                 "severities": [names[v] for v in sorted(rule_severity[name], reverse=True)],
                 "replies": count, "rate": _share(count, linted)}
                for (name, code), count in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0][1]))
            ],
            "worst": self._ranked()[: self.top],
        }
