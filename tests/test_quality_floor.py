"""The judgement may not quietly get worse: every signal's F1 on the labelled test split
(`bench/quality.py`) stays within a small margin of the committed figure.

After an intended change, refresh the figures with `python bench/quality.py --write-floor`
and say in the commit why a figure moved.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARGIN = 0.02


def _quality():
    spec = importlib.util.spec_from_file_location("quality", ROOT / "bench" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("quality", module)
    spec.loader.exec_module(module)
    return module


def test_no_signal_falls_below_its_committed_f1():
    quality = _quality()
    from replycoach.playbook.loader import load_playbook

    committed = json.loads((ROOT / "bench" / "quality-floor.json").read_text(encoding="utf-8"))
    book = load_playbook()
    signals = {}
    for lang, table in quality.sentence_table(book, "test").items():
        signals[lang] = {signal: {way: quality.prf(*ways[way]) for way in ("both",)} for signal, ways in table.items()}
    now = quality.floor_of(signals)
    fallen = [f"{lang} {signal}: {now.get(lang, {}).get(signal)} < {f1} - {MARGIN}"
              for lang, table in committed.items() for signal, f1 in table.items()
              if now.get(lang, {}).get(signal, 0.0) < f1 - MARGIN]
    assert not fallen, fallen
    assert sum(len(t) for t in committed.values()) >= 40  # the floor covers the signals, not a handful
