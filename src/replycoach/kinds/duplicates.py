"""Near-duplicate canned responses across the units of one run.

Two responses are near-duplicates when the Jaccard similarity of their sets of word pairs
(lower-cased words, every template slot counted as the same word, so `{{ customer.name }}`
and `{first_name}` don't make two copies look different) reaches the rule's `threshold`.
Comparing every pair is quadratic; a prefix filter (the all-pairs similarity join of
Bayardo et al., also PPJoin's first step) makes it near-linear for a repository: with the
word pairs of every response sorted rarest first, two responses can only reach the
threshold if they share one of the first few pairs of either, so only those are compared.

Each response of a duplicate pair gets one finding, at its first sentence, naming the
most similar other response by path and line.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import pairwise

from replycoach.core import regexcache
from replycoach.core.diagnostic import Diagnostic

WORD = regexcache.compile(r"\w+")
SLOT = "\x00slot"
MIN_SHINGLES = 3  # shorter responses ("Thanks {name}!") are alike by nature


def shingles(doc) -> frozenset[int]:
    """The response's word pairs, slots normalised and control tags (`{% if %}`) dropped.

    Kept as the pairs' hashes: a worker process computes them while it lints and sends back
    a few dozen integers instead of the pairs (forked workers share the parent's string hash
    seed, so the same pair has the same hash in every process of a run).
    """
    text, words, last = doc.analysed, [], doc.body_start
    for slot in doc.placeholders:
        if slot.start < last:
            continue
        words += WORD.findall(text[last : slot.start].lower())
        if slot.style != "jinja-tag":
            words.append(SLOT)
        last = slot.end
    words += WORD.findall(text[last:].lower())
    return frozenset(map(hash, pairwise(words)))


def similar_pairs(sets: list[frozenset], threshold: float) -> dict[tuple[int, int], float]:
    """Every pair (i < j) whose Jaccard similarity is at least `threshold`.

    Word pairs become bit positions, rarest first, so a response is one integer and the
    overlap of two is `(a & b).bit_count()`: no hashing in the inner loop.
    """
    frequency = Counter(s for group in sets for s in group)
    rank = {s: r for r, s in enumerate(sorted(frequency, key=frequency.__getitem__))}
    ranked = [sorted(rank[s] for s in group) for group in sets]
    sizes = [len(r) for r in ranked]
    masks = [sum(1 << r for r in bits) for bits in ranked]
    index: dict[int, list[int]] = defaultdict(list)
    skip: dict[int, int] = defaultdict(int)  # per posting list: how many entries are now too small
    found: dict[tuple[int, int], float] = {}
    for i in sorted((i for i in range(len(sets)) if sizes[i] >= MIN_SHINGLES), key=sizes.__getitem__):
        size, mask = sizes[i], masks[i]
        smallest = threshold * size  # sizes only grow from here, so smaller entries never match again
        candidates: set[int] = set()
        for token in ranked[i][: size - math.ceil(threshold * size) + 1]:
            postings = index[token]
            start = skip[token]
            while start < len(postings) and sizes[postings[start]] < smallest:
                start += 1
            skip[token] = start
            candidates.update(postings[start:])
            postings.append(i)
        for j in candidates:
            common = (mask & masks[j]).bit_count()
            if common / (size + sizes[j] - common) >= threshold:
                found[(j, i) if j < i else (i, j)] = common / (size + sizes[j] - common)
    return found


def near_duplicates(items: list, rule: dict) -> None:
    """Add a near-duplicate finding to each of `items` (`lint.run_level.Linted`) that has a twin."""
    sets = [item.shingles if item.shingles is not None else shingles(item.doc) for item in items]
    pairs = similar_pairs(sets, rule["threshold"])
    if not pairs:
        return
    partners: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (i, j), score in pairs.items():
        partners[i].append((score, j))
        partners[j].append((score, i))
    anchors = {i: _anchor(items[i], rule) for i in {k for pair in pairs for k in pair}}
    for i, found in partners.items():
        item, anchor = items[i], anchors[i]
        if any(item.doc.is_ignored(rule[key], anchor.line) for key in ("name", "code")):
            continue
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        score, j = found[0]
        other = items[j]
        where = f"{other.unit.path}:{item_line(other, anchors[j])}"
        if other.unit.label:
            where += f" ({other.unit.label})"
        more = f", and {len(found) - 1} more" if len(found) > 1 else ""
        message = f"{rule['message']} ({score:.0%} the same as {where}{more})"
        placed = item.place(_with_message(anchor, message))
        item.result.diagnostics.append(placed)
        item.result.diagnostics.sort(key=lambda d: (d.start, -d.severity, d.code))


def item_line(item, anchor: Diagnostic) -> int:
    return item.place(anchor).line


def _anchor(item, rule: dict) -> Diagnostic:
    """A finding on the response's first sentence (its text-space position)."""
    doc = item.doc
    if doc.sentences:
        first = doc.sentences[0]
        chunk = doc.analysed[first.start : first.end]
        start = first.start + len(chunk) - len(chunk.lstrip())
        end = max(first.start + len(chunk.rstrip()), start)
    else:
        start = end = doc.body_start
    line, column = doc.position(start)
    end_line, end_column = doc.position(end)
    return Diagnostic(
        rule=rule["name"], code=rule["code"], severity=item.selection.severity_of(rule, None),
        message=rule["message"], path=doc.path, line=line, column=column, end_line=end_line,
        end_column=end_column, start=start, end=end, match=doc.text[start:end][:200],
        suggestion=rule["suggestion"],
    )


def _with_message(diagnostic: Diagnostic, message: str) -> Diagnostic:
    return diagnostic._replace(message=message)
