"""Blind the written conversations for labelling, and fix their split.

    python data/scripts/build_synthetic.py

The writers' files (`data/written/{pl,bg}.W*.jsonl`) say how each reply was meant
(`written_as`, `intended_flaws`, the true `fault`). Annotators must not see that, so this
writes `data/items/{pl,bg}.jsonl` with only what a reader of the conversation sees: the
channel, the customer's message and the reply, split into sentences by replycoach's own
splitter. The split is by writing batch, fixed here before anything is trained: batches
b02, b05, b08 (and b11, where a writer wrote twelve) are the test split (about 30 %).
English conversations go to `en.synthetic.jsonl`, beside the real twitter-care items.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_BATCHES = {"b02", "b05", "b08", "b11"}


def sentences(text: str) -> list[str]:
    from replycoach.playbook.loader import load_playbook
    from replycoach.reply.document import Document

    doc = Document.parse(text, load_playbook().conventions, front_matter=False)
    return [doc.analysed[s.start:s.end].strip() for s in doc.sentences]


def main() -> None:
    for lang in ("pl", "bg", "en"):
        items = []
        for written in sorted((ROOT / "data" / "written").glob(f"{lang}.W*.jsonl")):
            for line in written.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                item = json.loads(line)
                batch = item["group"].rsplit("-", 1)[-1]
                items.append({
                    "id": item["id"], "lang": lang, "source": "synthetic", "group": item["group"],
                    "channel": item["channel"], "stage": "first", "message": item["message"], "reply": item["reply"],
                    "received_at": None, "sent_at": None, "cluster": item["id"], "label": True,
                    "split": "test" if batch in TEST_BATCHES else "train",
                    "sentences": sentences(item["reply"]) if item["reply"] else [],
                })
        if not items:
            continue
        out = ROOT / "data" / "items" / (f"{lang}.synthetic.jsonl" if lang == "en" else f"{lang}.jsonl")
        with open(out, "w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"{out.relative_to(ROOT)}: {len(items)} conversations, "
              f"{sum(len(i['sentences']) for i in items)} reply sentences, "
              f"{sum(i['split'] == 'test' for i in items)} in test")


if __name__ == "__main__":
    main()
