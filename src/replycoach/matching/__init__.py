"""Finding signals in text: the wall behind which every speed trick of matching lives.

What a lexicon entry means is simple: a phrase or a regex, matched case-insensitively
(`entries`). Everything else in this package makes the same matches cheaper, and nothing
outside it needs to know how:

- `analysis` reads, once per entry, which words a match can start with and what it must
  contain (from Python's parsed regex: `reparse` is the one place that touches it);
- `screens` builds cheaper regexes that can only accept more than an entry (gates, screens);
- `index` makes one pass over a reply's words and hands each signal the places worth trying;
- `lexicon` tries a signal's entries only there, in the order its whole regex would;
- `find.find_plain` is the plain-regex oracle `find_signals` must always equal (tested);
- `detector` scores sentences with the learned model that stands beside the lexicon.

Code outside `matching` imports from here only.
"""

from replycoach.matching.detector import Model as DetectorModel
from replycoach.matching.entries import VALIDATORS, Hit, entry_regex, phrase_to_regex
from replycoach.matching.find import find_plain, find_signals
from replycoach.matching.index import Matchers, compile_lexicon
from replycoach.matching.lexicon import Matcher, check
from replycoach.matching.opaque import OPAQUE, opaque_spans

__all__ = [
    "OPAQUE", "VALIDATORS", "DetectorModel", "Hit", "Matcher", "Matchers", "check", "compile_lexicon", "entry_regex",
    "find_plain", "find_signals", "opaque_spans", "phrase_to_regex",
]
