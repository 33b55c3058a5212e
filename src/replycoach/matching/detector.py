"""A learned detector beside the lexicon: does this sentence apologise, promise a fix, say when?

A lexicon knows the phrasings someone wrote down; good replies say the same things in their
own words ("it'll be with you Thursday" is a next update, "I've added 500 points" is
compensation). So next to the lexicon each of those signals has a linear model over a
sentence's words, word pairs and word pieces (character 4-grams, which carry inflection:
"sprawdzimy" and "sprawdzę" share "spra" and "draw"), trained offline with scikit-learn on
the labelled data in `data/` (`data/scripts/train_detector.py`, a dev extra) and shipped as
data. Scoring it is dictionary lookups and sums in pure Python: no numpy, no scikit-learn.

The same model classifies a customer's message (its kind, tone, and whether it gives
anything concrete to act on) from the message's features.

The weights file: a magic line, a JSON header (outputs, biases, scales, the feature version),
the vocabulary as UTF-8 lines, then one signed byte per feature and output (a weight is that
byte times its output's scale: 0.6 MB instead of 2.3 as float32, and the same decisions).
Data, never code.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from array import array
from itertools import pairwise

from replycoach.core import regexcache
from replycoach.core.errors import UserError
from replycoach.core.memo import Memo

MAGIC = b"replycoach-detector-2\n"
FEATURE_VERSION = 2
_URL = regexcache.compile(r"https?://\S+|www\.\S+|\b[\w.-]+\.(?:com|net|org|io|pl|bg|eu|co|uk)/\S*", re.I)
_HANDLE = regexcache.compile(r"@\w+")
_TIME = regexcache.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:am|pm)\b", re.I)
_NUMBER = regexcache.compile(r"\d+")
_WORD = regexcache.compile(r"\w+")

def _bare_letters() -> dict[int, str]:
    """Latin letters with a mark that Unicode does not decompose (an L with a stroke ...),
    mapped to the letter their Unicode name says they are built on."""
    table = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        if unicodedata.normalize("NFKD", char) != char:
            continue  # decomposes: the combining mark is dropped anyway
        name = unicodedata.name(char, "")
        base = re.match(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH ", name)
        if base:
            table[code] = base.group(1).lower()
    table[ord("\u00df")] = "ss"  # sharp s is two letters written as one
    return table


# letters people still type without their mark, though Unicode has no decomposition for them
_BARE = _bare_letters()
MAX_CHARS = 2000  # a sentence or message is cut here: features of a wall of text add nothing


def plain(text: str) -> str:
    """Lower case without diacritics, so "przepraszamy" and "przepraszamy" typed on a phone
    without Polish letters are the same words. Cyrillic keeps its letters (й and и aside)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_BARE)


def features(text: str) -> list[str]:
    """The features of a sentence or message: words, word pairs, and 4-letter pieces of words.

    Links, @handles, clock times and numbers become placeholders: "by 5pm" and "do 12:00"
    both say a time, whichever it is.
    """
    low = plain(text[:MAX_CHARS])
    low = _URL.sub(" zurlz ", low)
    low = _HANDLE.sub(" zhandlez ", low)
    low = _TIME.sub(" ztimez ", low)
    low = _NUMBER.sub(" znumz ", low)
    words = _WORD.findall(low)
    out = ["w " + w for w in words]
    # the shape of the text: a question, shouting, its length
    if "?" in text:
        out.append("s question" if text.rstrip().endswith("?") else "s has-question")
    if "!!" in text:
        out.append("s exclaims")
    out.append(f"s len{min(len(words) // 10, 5)}")
    capitals = sum(1 for w in text.split() if len(w) > 2 and w.isupper())
    if capitals:
        out.append(f"s caps{min(capitals, 3)}")
    out += ["b " + a + " " + b for a, b in pairwise(words)]
    for word in words:
        if len(word) > 3:
            padded = "<" + word + ">"
            out += ["c " + padded[i : i + 4] for i in range(len(padded) - 3)]
    if not words:
        out.append("empty")
    return out


class Model:
    """A trained detector: the probability of each output for a text."""

    __slots__ = ("_rows", "biases", "index", "outputs", "path", "scales", "weights")

    def __init__(self, outputs: list[str], vocabulary: list[str], weights: dict[str, array],
                 biases: dict[str, float], scales: dict[str, float], path: str = "") -> None:
        self.outputs = outputs
        self.index = {feature: row for row, feature in enumerate(vocabulary)}
        self.weights = weights  # output -> one signed byte per vocabulary row (array "b")
        self.scales = scales  # output -> what one step of its bytes weighs
        self.biases = biases
        self.path = path
        # keyed by a sentence's text, which alone decides its features: canned replies repeat sentences
        self._rows = Memo(self._rows_of, limit=20_000)

    @classmethod
    def quantised(cls, outputs: list[str], vocabulary: list[str], weights: dict[str, list[float]],
                  biases: dict[str, float]) -> Model:
        """A model from float weights (as trained), each output's bytes spanning its largest weight."""
        scales, rows = {}, {}
        for output in outputs:
            top = max((abs(w) for w in weights[output]), default=0.0) or 1.0
            scales[output] = top / 127
            rows[output] = array("b", [max(-127, min(127, round(w / scales[output]))) for w in weights[output]])
        return cls(outputs, vocabulary, rows, biases, scales)

    def rows(self, text: str) -> list[int]:
        """The vocabulary rows of a text's features (worked out once, scored for many outputs)."""
        return self._rows[text]

    def _rows_of(self, text: str) -> list[int]:
        index = self.index
        return [index[f] for f in features(text) if f in index]

    def logit(self, rows: list[int], output: str) -> float:
        return self.biases[output] + self.scales[output] * sum(map(self.weights[output].__getitem__, rows))

    def probability(self, rows: list[int], output: str) -> float:
        z = self.logit(rows, output)
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def choose(self, text: str, outputs: list[str]) -> tuple[str, float]:
        """The most likely of mutually exclusive outputs (a multinomial model's classes), and its probability."""
        rows = self.rows(text)
        z = {output: self.logit(rows, output) for output in outputs if output in self.weights}
        if not z:
            return outputs[0], 0.0
        top = max(z.values())
        total = sum(math.exp(v - top) for v in z.values())
        best = max(z, key=z.__getitem__)
        return best, 1.0 / total

    def scores(self, text: str, outputs) -> dict[str, float]:
        rows = self.rows(text)
        return {output: self.probability(rows, output) for output in outputs if output in self.weights}

    # --- the file ---------------------------------------------------------------------------

    def dump(self) -> bytes:
        vocabulary = sorted(self.index, key=self.index.__getitem__)
        header = {"feature_version": FEATURE_VERSION, "outputs": self.outputs, "biases": self.biases,
                  "scales": self.scales, "rows": len(vocabulary)}
        head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
        words = "\n".join(vocabulary).encode("utf-8")
        blob = b"".join(self.weights[o].tobytes() for o in self.outputs)
        return MAGIC + len(head).to_bytes(8, "little") + head + len(words).to_bytes(8, "little") + words + blob

    @classmethod
    def load(cls, path: str) -> Model:
        """Read a weights file; a damaged or foreign one is a clear error, never a crash."""
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            if not data.startswith(MAGIC):
                raise ValueError("not a replycoach detector file")
            at = len(MAGIC)
            size = int.from_bytes(data[at : at + 8], "little")
            header = json.loads(data[at + 8 : at + 8 + size].decode("utf-8"))
            at += 8 + size
            size = int.from_bytes(data[at : at + 8], "little")
            vocabulary = data[at + 8 : at + 8 + size].decode("utf-8").split("\n")
            at += 8 + size
            if header["feature_version"] != FEATURE_VERSION or len(vocabulary) != header["rows"]:
                raise ValueError("made for another version of replycoach")
            weights = {}
            width = len(vocabulary)
            for k, output in enumerate(header["outputs"]):
                row = array("b")
                row.frombytes(data[at + k * width : at + (k + 1) * width])
                if len(row) != len(vocabulary):
                    raise ValueError("truncated")
                weights[output] = row
            return cls(header["outputs"], vocabulary, weights, header["biases"], header["scales"], path)
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot use the detector weights: {exc}", path) from None
