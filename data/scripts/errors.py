"""Where the lexicon disagrees with the annotators, on the train split only: the work list for
improving a language pack.

    python data/scripts/errors.py --lang pl --signal fix            # misses and false hits
    python data/scripts/errors.py --lang pl --summary               # counts per signal

A *miss* is a sentence the annotators gave the signal and the lexicon does not find; a
*false hit* one where the lexicon finds it and they did not. The test split is refused:
it is for measuring (`bench/quality.py`), never for choosing phrases.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import SIGNALS, replies, signals_by_sentence


def rows(lang: str):
    """(reply id, sentence index, sentence, gold labels, lexicon signals with matched text) on the train split."""
    from replycoach.matching import find_signals
    from replycoach.playbook.loader import load_playbook
    from replycoach.reply.document import Document

    book = load_playbook()
    matchers = book.matchers(lang)
    for reply in replies(lang, "train"):
        if not reply.reply:
            continue
        doc = Document.parse(reply.reply, book.conventions, front_matter=False)
        hits = find_signals(doc.analysed, matchers, book.signals, doc.marker_spans, opaque=doc.opaque)
        for index, (found, text, gold) in enumerate(zip(signals_by_sentence(doc, hits), reply.sentences,
                                                         reply.sentence_labels, strict=True)):
            yield reply.id, index, text, set(gold), found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True)
    parser.add_argument("--signal", choices=SIGNALS)
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--split", default="train", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.split != "train":
        parser.error("only the train split: the test split is for measuring, never for choosing phrases")
    data = list(rows(args.lang))
    if args.summary or not args.signal:
        print("signal                 gold  found  misses  false hits")
        for signal in SIGNALS:
            gold = sum(signal in g for *_, g, _ in data)
            found = sum(signal in f for *_, f in data)
            misses = sum(signal in g and signal not in f for *_, g, f in data)
            false = sum(signal in f and signal not in g for *_, g, f in data)
            print(f"{signal:22} {gold:5} {found:6} {misses:7} {false:11}")
        return 0
    signal = args.signal
    print(f"## misses: the annotators say {signal}, the lexicon finds nothing\n")
    for reply_id, index, text, gold, found in data:
        if signal in gold and signal not in found:
            print(f"- {reply_id}#{index}: {text}")
    print(f"\n## false hits: the lexicon finds {signal}, the annotators did not\n")
    for reply_id, index, text, gold, found in data:
        if signal in found and signal not in gold:
            print(f"- {reply_id}#{index}: {text}\n    matched: {found[signal]}; "
                  f"annotators: {sorted(gold) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
