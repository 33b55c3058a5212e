"""Turn the twitter-care corpus into items to label: one per agent reply, with the customer's words.

    python data/scripts/build_twitter_care.py ../shared/corpus/twitter-care/conversations.jsonl

Writes `data/items/en.jsonl`. Each item is one agent reply with the customer's messages it
answers (all customer messages since the previous agent reply), its stage (first reply or
follow-up), the reply split into sentences by replycoach's own splitter, the brand (`group`,
which decides the split), and its template cluster: replies that say nearly the same thing
(a brand's canned answer with another handle or link) share a cluster, and only the first
of each cluster is marked `label: true`, so a canned formula is labelled once, not forty
times. The split is by brand, fixed here before anything is trained: no brand's templates
sit in both train and test.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "items" / "en.jsonl"
# about a quarter of the replies, brands of every size; chosen by name before any labelling
TEST_BRANDS = {"Google", "AppleSupport", "AskeBay", "SpotifyCares", "hulu_support", "GoDaddyHelp",
               "SouthwestAir", "TMobileHelp", "Delta", "Uber_Support"}
WORD = re.compile(r"[a-z']+")
NOISE = re.compile(r"@\w+|https?://\S+|\d+")


def shingles(text: str) -> set[str]:
    words = WORD.findall(NOISE.sub(" ", text.lower()))
    return {" ".join(words[i:i + 3]) for i in range(max(len(words) - 2, 1))}


def sentences(text: str) -> list[str]:
    from replycoach.document import Document

    doc = Document.parse(text, front_matter=False)
    return [doc.analysed[s.start:s.end].strip() for s in doc.sentences]


def main(corpus: str) -> None:
    items = []
    with open(corpus, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for line in lines:
        if not line.strip():
            continue
        conv = json.loads(line)
        heard: list[str] = []
        heard_at = None
        replies = 0
        for m in conv["messages"]:
            if m["role"] == "customer":
                heard.append(m["text"])
                heard_at = heard_at or m["at"]
                continue
            if not (m.get("text") or "").strip():
                continue
            replies += 1
            items.append({
                "id": f"en-{conv['id']}-{replies}",
                "lang": "en", "source": "twitter-care", "group": conv["company"], "channel": conv["channel"],
                "stage": "first" if replies == 1 else "follow-up",
                "message": "\n\n".join(heard), "reply": m["text"],
                "received_at": heard_at, "sent_at": m["at"],
            })
            heard, heard_at = [], None
    # template clusters, greedy: a reply joins the first cluster whose founder it resembles
    founders: list[tuple[str, set[str], str]] = []
    for item in items:
        mine = shingles(item["reply"])
        cluster = None
        for brand, theirs, cid in founders:
            if brand == item["group"] and mine and theirs and len(mine & theirs) / len(mine | theirs) >= 0.6:
                cluster = cid
                break
        if cluster is None:
            cluster = item["id"]
            founders.append((item["group"], mine, cluster))
        item["cluster"] = cluster
        item["label"] = cluster == item["id"]
        item["split"] = "test" if item["group"] in TEST_BRANDS else "train"
        item["sentences"] = sentences(item["reply"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    labelled = [i for i in items if i["label"]]
    print(f"{len(items)} replies, {len(labelled)} clusters to label "
          f"({sum(len(i['sentences']) for i in labelled)} sentences; "
          f"test: {sum(i['split'] == 'test' for i in labelled)} replies)")
    digest = hashlib.sha1(OUT.read_bytes()).hexdigest()[:12]
    print(f"wrote {OUT.relative_to(ROOT)} ({digest})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared/corpus/twitter-care/conversations.jsonl"))
