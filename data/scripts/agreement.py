"""How far two annotators agree on the items both labelled (the overlap sets).

    python data/scripts/agreement.py            # a Markdown table per language

For every label: Cohen's kappa between the main annotator and the second one, over sentences
(signals), messages (kind, tone, needs details) or replies (findings), with the number of
positives each gave. Kappa near 1 is agreement beyond chance; below 0.4 the label is hard
to apply consistently and its figures deserve caution.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import FINDINGS, LANGUAGES, SIGNALS, labels, messages


def kappa(pairs: list[tuple[object, object]]) -> float | None:
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    values = {v for pair in pairs for v in pair}
    expected = sum((sum(a == v for a, _ in pairs) / n) * (sum(b == v for _, b in pairs) / n) for v in values)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def pairs_for(lang: str) -> dict[str, list[tuple]]:
    main = {item_id: record for records in labels(lang).values() for item_id, record in records.items()}
    out: dict[str, list[tuple]] = {}
    for records in labels(lang, overlap=True).values():
        for item_id, second in records.items():
            first = main.get(item_id)
            if first is None:
                continue
            for s1, s2 in zip(first["sentences"], second["sentences"], strict=False):
                for signal in SIGNALS:
                    out.setdefault(signal, []).append((signal in s1, signal in s2))
            m1, m2 = first.get("message") or {}, second.get("message") or {}
            if m1 and m2:
                for key in ("kind", "tone", "needs_details"):
                    out.setdefault(f"message {key}", []).append((m1.get(key), m2.get(key)))
            f1, f2 = first.get("findings") or {}, second.get("findings") or {}
            if f1 and f2:
                for finding in FINDINGS:
                    out.setdefault(finding, []).append((f1.get(finding), f2.get(finding)))
    return out


def main() -> None:
    for lang in LANGUAGES:
        table = pairs_for(lang)
        print(f"\n### {lang}\n\n| label | items | kappa | positives (first / second) |\n|---|---|---|---|")
        for name, pairs in table.items():
            k = kappa(pairs)
            positives = (sum(1 for a, _ in pairs if a is True), sum(1 for _, b in pairs if b is True))
            shown = "n/a" if k is None else f"{k:.2f}"
            extra = f"{positives[0]} / {positives[1]}" if not name.startswith("message") or name.endswith("details") \
                else "(categorical)"
            print(f"| {name} | {len(pairs)} | {shown} | {extra} |")
        written = messages(lang)
        for key in ("kind", "tone", "needs_details"):
            pairs = [(getattr(m, key), m.intended[key]) for m in written]
            k = kappa(pairs)
            agree = sum(a == b for a, b in pairs)
            print(f"| message-only set {key} (annotator / writer) | {len(pairs)} | "
                  f"{'n/a' if k is None else f'{k:.2f}'} | {agree} agree |")


if __name__ == "__main__":
    main()
