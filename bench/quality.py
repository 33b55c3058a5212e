"""How well replycoach judges, measured on the labelled test split (never used for tuning).

    python bench/quality.py              # every table, Markdown
    python bench/quality.py --json out.json

1. Signals, sentence by sentence, per language: precision, recall and F1 of the lexicon
   alone, the detector alone, and both (a signal is found when either finds it), against
   the annotators' labels of each reply sentence.
2. Customer messages: how often the classifier gets the kind, the tone and "needs details"
   right, per language.
3. Rules on whole replies, linted as a user would lint them with the customer's message
   (`in_reply_to`), against the annotators' judgement of which findings a lead would want:
   precision, recall, and false alarms on replies that need no such finding.
4. Rules on the playbook's own examples (every bad example must trigger, no good one may).

The test split: English by brand, Polish and Bulgarian by writing batch (see data/README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "data" / "scripts"))

from dataset import FINDINGS, LANGUAGES, SIGNALS, messages, replies, signals_by_sentence  # noqa: E402

from replycoach.lint.engine import lint_text  # noqa: E402
from replycoach.matching import find_signals  # noqa: E402
from replycoach.playbook.loader import load_playbook  # noqa: E402
from replycoach.reply.document import Document  # noqa: E402

FLOOR = ROOT / "bench" / "quality-floor.json"


def floor_of(signals: dict) -> dict:
    """{lang: {signal: F1 of lexicon and detector together}}, for the signals with an F1."""
    return {lang: {signal: round(row["both"][2], 3) for signal, row in table.items() if row["both"][2] is not None}
            for lang, table in signals.items()}


def prf(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if precision is None or recall is None or precision + recall == 0:
        return precision, recall, None if precision is None or recall is None else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def sentence_table(book, split: str) -> dict:
    """{lang: {signal: {way: (tp, fp, fn)}}} for the lexicon, the detector and both."""
    detector = book.detector()
    thresholds = book.detector_thresholds
    counts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0, 0, 0])))
    for lang in LANGUAGES:
        matchers = book.matchers(lang)
        for reply in replies(lang, split):
            if not reply.reply:
                continue
            doc = Document.parse(reply.reply, book.conventions, front_matter=False)
            texts = [doc.analysed[s.start : s.end].strip() for s in doc.sentences]
            if texts != reply.sentences:
                raise SystemExit(f"{reply.id}: the splitter no longer gives the labelled sentences; rebuild the items")
            hits = find_signals(doc.analysed, matchers, book.signals, doc.marker_spans, opaque=doc.opaque)
            for index, (found, gold) in enumerate(zip(signals_by_sentence(doc, hits), reply.sentence_labels,
                                                      strict=True)):
                lexicon = set(found)
                scores = detector.scores(texts[index], thresholds) if detector else {}
                learned = {name for name, p in scores.items() if p >= thresholds[name]}
                for signal in SIGNALS:  # every labelled signal; the detector column only where it is on
                    truth = signal in gold
                    for way, found in (("lexicon", signal in lexicon), ("detector", signal in learned),
                                       ("both", signal in lexicon or signal in learned)):
                        cell = counts[lang][signal][way]
                        cell[0] += found and truth
                        cell[1] += found and not truth
                        cell[2] += truth and not found
    return counts


def message_table(book, split: str) -> dict:
    from replycoach.triage import classify_message

    out: dict = {}
    for lang in LANGUAGES:
        right = defaultdict(int)
        total = 0
        for reply in replies(lang, split):
            if reply.kind is None or not reply.message.strip():
                continue
            total += 1
            guess = classify_message(reply.message, book, lang)
            right["kind"] += guess.kind == reply.kind
            right["tone"] += guess.tone == reply.tone
            right["needs_details"] += guess.needs_details == bool(reply.needs_details)
        for item in messages(lang, split):
            total += 1
            guess = classify_message(item.message, book, lang)
            right["kind"] += guess.kind == item.kind
            right["tone"] += guess.tone == item.tone
            right["needs_details"] += guess.needs_details == item.needs_details
        out[lang] = {"messages": total, **{k: right[k] / total if total else None for k in ("kind", "tone",
                                                                                         "needs_details")}}
    return out


def _context(reply, lang: str, with_message: bool) -> dict:
    """The context a labelled reply is linted in: its channel and language, a follow-up's
    stage, and (`with_message`) the customer's message it answers."""
    context = {"channel": reply.channel, "language": lang}
    if reply.stage == "follow-up":
        context["stage"] = "follow-up"
    if with_message and reply.message.strip():
        context["in_reply_to"] = reply.message
    return context


def rule_table(book, split: str, with_message: bool) -> dict:
    """Per rule: (tp, fp, fn, replies that need no such finding, false alarms on them)."""
    out: dict = {}
    for lang in LANGUAGES:
        cells = defaultdict(lambda: [0, 0, 0, 0])
        for reply in replies(lang, split):
            if not reply.reply or not reply.findings:
                continue
            fired = {d.rule for d in lint_text(reply.reply, book, _context(reply, lang, with_message)).diagnostics}
            for finding in FINDINGS:
                want = bool(reply.findings.get(finding))
                got = finding in fired
                cell = cells[finding]
                cell[0] += got and want
                cell[1] += got and not want
                cell[2] += want and not got
                cell[3] += not want
        out[lang] = {rule: cell for rule, cell in cells.items()}
    return out


def written_as() -> dict[str, str]:
    """Item id -> how its writer meant the reply (exemplary, flawed, no-reply), for written items."""
    out = {}
    for path in sorted((ROOT / "data" / "written").glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            out.update((item["id"], item.get("written_as", "")) for item in map(json.loads, fh))
    return out


def whole_reply_table(book, split: str) -> dict:
    """Per language, replies linted with their message: how many have exactly the "something
    is missing" findings the annotators wanted (fully right), and how many replies written to
    be exemplary pass with no finding at all, and with no error or warning."""
    intent = written_as()
    out: dict = {}
    for lang in LANGUAGES:
        row = defaultdict(int)
        for reply in replies(lang, split):
            if not reply.reply or not reply.findings:
                continue
            diagnostics = lint_text(reply.reply, book, _context(reply, lang, with_message=True)).diagnostics
            fired = {d.rule for d in diagnostics} & set(FINDINGS)
            wanted = {f for f in FINDINGS if reply.findings.get(f)}
            row["replies"] += 1
            row["fully_right"] += fired == wanted
            if intent.get(reply.id) == "exemplary":
                row["exemplary"] += 1
                row["exemplary_no_finding"] += not diagnostics
                row["exemplary_no_error_or_warning"] += not [d for d in diagnostics if d.severity.label != "info"]
        out[lang] = dict(row)
    return out


def examples_table(book) -> dict:
    from replycoach.kinds import rule_languages

    out = {}
    for rule in book.rules:
        tp = fn = fp = tn = 0
        for lang, sets in book.examples.items():
            example = sets.get(rule["name"])
            if not example or lang not in rule_languages(book, rule):
                continue
            context = {"language": lang, **example.get("context", {})}
            for key, expected in (("bad", True), ("good", False)):
                for item in example.get(key) or ():
                    text, extra = (item, {}) if isinstance(item, str) else (item["text"], item["context"])
                    fired = rule["name"] in {d.rule for d in lint_text(text, book, {**context, **extra}).diagnostics}
                    tp += fired and expected
                    fn += expected and not fired
                    fp += fired and not expected
                    tn += not fired and not expected
        if tp + fn + fp + tn:
            out[rule["name"]] = (tp, fp, fn, tn)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="test", choices=["test", "train"])
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--write-floor", action="store_true",
                        help="record the test split's signal F1 in bench/quality-floor.json (the test suite's floor)")
    args = parser.parse_args()
    book = load_playbook()
    report: dict = {"split": args.split}

    signals = sentence_table(book, args.split)
    print(f"## Signals, reply sentences of the {args.split} split\n")
    print("| language | signal | positives | lexicon P / R / F1 | detector P / R / F1 | both P / R / F1 |")
    print("|---|---|---|---|---|---|")
    report["signals"] = {}
    for lang, table in signals.items():
        for signal, ways in table.items():
            positives = ways["both"][0] + ways["both"][2]
            row = {way: prf(*ways[way]) for way in ("lexicon", "detector", "both")}
            if signal not in book.detector_thresholds:
                row["detector"] = None  # the detector is off for this signal: the lexicon alone finds it
            report["signals"].setdefault(lang, {})[signal] = {"positives": positives, **row}
            cells = " | ".join("off" if row[way] is None else " / ".join(fmt(v) for v in row[way])
                               for way in ("lexicon", "detector", "both"))
            print(f"| {lang} | {signal} | {positives} | {cells} |")

    messages = message_table(book, args.split)
    report["messages"] = messages
    print(f"\n## Customer messages of the {args.split} split: share classified right\n")
    print("| language | messages | kind | tone | needs details |\n|---|---|---|---|---|")
    for lang, row in messages.items():
        print(f"| {lang} | {row['messages']} | {fmt(row['kind'])} | {fmt(row['tone'])} | {fmt(row['needs_details'])} |")

    for with_message in (False, True):
        rules = rule_table(book, args.split, with_message)
        key = "rules_with_message" if with_message else "rules_without_message"
        report[key] = rules
        title = "with the customer's message (in_reply_to)" if with_message else "reply alone (no message)"
        print(f"\n## Rules on whole replies, {title}: against the annotators' judgement\n")
        print("| language | rule | wanted | precision | recall | false alarms on replies that need none |")
        print("|---|---|---|---|---|---|")
        for lang, table in rules.items():
            for rule, (tp, fp, fn, clean) in table.items():
                precision, recall, _ = prf(tp, fp, fn)
                alarm = f"{fp} of {clean} ({fp / clean:.0%})" if clean else "–"
                print(f"| {lang} | {rule} | {tp + fn} | {fmt(precision)} | {fmt(recall)} | {alarm} |")

    whole = whole_reply_table(book, args.split)
    report["whole_replies"] = whole
    print(f"\n## Whole replies of the {args.split} split, with the customer's message\n")
    print("| language | replies | findings exactly as wanted | exemplary replies | with no finding | "
          "with no error or warning |\n|---|---|---|---|---|---|")
    for lang, row in whole.items():
        print(f"| {lang} | {row.get('replies', 0)} | {row.get('fully_right', 0)} | {row.get('exemplary', 0)} | "
              f"{row.get('exemplary_no_finding', 0)} | {row.get('exemplary_no_error_or_warning', 0)} |")

    examples = examples_table(book)
    report["examples"] = examples
    worst = [name for name, (tp, fp, fn, tn) in examples.items() if fp or fn]
    total = sum(sum(v) for v in examples.values())
    print(f"\n## Rules on the playbook's examples\n\n{total} examples of {len(examples)} rules; "
          f"rules with a wrong call: {', '.join(worst) or 'none'}")
    if args.write_floor:
        FLOOR.write_text(json.dumps(floor_of(report["signals"]), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nwrote {FLOOR.relative_to(ROOT)}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=list), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
