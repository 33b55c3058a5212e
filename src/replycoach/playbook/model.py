"""A loaded playbook: plain validated data, and what is worked out from it once per run.

The data is what `playbook.loader` merged and validated (dicts straight from the models),
so the engine runs from the cache without importing pydantic. Nothing here knows a rule by
name.
"""

from __future__ import annotations

SIGNAL_FIELDS = ("signal", "signals", "unless_with", "unless_present", "only_with", "exempt", "if_present",
                 "closest")


class Playbook:
    """Merged, validated playbook data; `lexicon`, `analysis` and `examples` are keyed by language."""

    def __init__(self, name: str, rules: list[dict], signals: dict[str, dict], lexicon: dict, examples: dict,
                 checklist: dict[str, dict], settings: dict, files: list[str], analysis: dict | None = None,
                 language_packs: dict | None = None, detector: dict | None = None) -> None:
        self.name = name
        self.rules = rules
        self.signals = signals
        self.lexicon = lexicon
        self.examples = examples
        self.checklist = checklist
        self.settings = settings
        self.files = files
        # where each lexicon entry can start (matching's entry analysis), worked out once when
        # the playbook is built and kept in the cache: parsing every regex costs more than a lint
        self.analysis = analysis if analysis is not None else {}
        self.language_packs = language_packs if language_packs is not None else {}  # `languages:` data
        self.detector_settings = detector if detector is not None else {"model": None, "thresholds": {}}
        self._matchers: dict = {}
        self._derived: dict = {}

    def __repr__(self) -> str:
        return f"Playbook({self.name!r}, {len(self.rules)} rules, languages {self.languages})"

    @classmethod
    def from_data(cls, data: dict) -> Playbook:
        return cls(**data)

    def __reduce__(self):
        """Pickled as its plain data (what Dask, Spark or a process pool send to workers): the
        lazily read parts of the cache become dicts, and what is worked out from the data
        (compiled matchers, the detector) is worked out again where it is used."""
        data = {"name": self.name, "rules": self.rules, "signals": self.signals, "lexicon": dict(self.lexicon),
                "examples": dict(self.examples), "checklist": self.checklist, "settings": self.settings,
                "files": self.files, "analysis": dict(self.analysis), "language_packs": self.language_packs,
                "detector": self.detector_settings}
        return (_from_data, (data,))

    @property
    def languages(self) -> list[str]:
        """The languages replies can be linted in: those with a lexicon."""
        return self.derived("languages", lambda: sorted(lang for lang in self.lexicon if lang != "*"))

    def language_name(self, code: str) -> str:
        pack = self.language_packs.get(code) or {}
        return pack.get("name") or code

    @property
    def conventions(self):
        """How the playbook's languages write (capitals, placeholders, abbreviations)."""
        from replycoach.playbook.languages import conventions_of, packs_from

        return self.derived("conventions", lambda: conventions_of(packs_from(self.language_packs)))

    def detect(self, text: str, available: list[str] | tuple[str, ...] | None = None) -> str:
        """The language of `text` among `available`; by default among the languages with a
        lexicon, or one the playbook recognises without rules (the caller says it is not linted)."""
        detector = self.derived("detector", self._detector)
        if available is not None:
            return detector.detect(text, available)
        lintable = self.languages
        return detector.detect(text, lintable, tuple(c for c in self.language_packs if c not in lintable))

    def _detector(self):
        from replycoach.playbook.languages import Detector, packs_from

        return Detector(packs_from(self.language_packs), self.settings.get("default_language"))

    @property
    def detector_thresholds(self) -> dict[str, float]:
        """The signals the detector may find, with the probability each must pass."""
        if not self.detector_settings.get("model"):
            return {}
        thresholds = self.detector_settings.get("thresholds") or {}
        return {signal: t for signal, t in thresholds.items() if t is not None and signal in self.signals}

    def detector(self):
        """The detector's model, read on first use (None when the playbook has none)."""
        path = self.detector_settings.get("model")
        if not path:
            return None

        def load():
            from replycoach.matching import DetectorModel

            return DetectorModel.load(path)

        return self.derived("detector_model", load)

    def rule(self, name_or_code: str) -> dict | None:
        for rule in self.rules:
            if name_or_code in (rule["name"], rule["code"]):
                return rule
        return None

    def derived(self, name: str, build):
        """Data worked out from the playbook once and kept with it (engines call this per file).

        Keyed by `name`, a fixed word in the code that asks: the playbook's data, which never
        changes after loading, decides the value.
        """
        value = self._derived.get(name)
        if value is None:
            value = self._derived[name] = build()
        return value

    def matchers(self, language: str):
        """Compiled signal matchers for one language (plus the language-independent ones)."""
        if language not in self._matchers:
            from replycoach.matching import compile_lexicon

            merged = dict(self.lexicon.get("*", {}))
            analysis = dict(self.analysis.get("*", {}))
            for name, entries in self.lexicon.get(language, {}).items():
                merged[name] = merged.get(name, []) + entries
                own = self.analysis.get(language, {}).get(name)
                analysis[name] = analysis.get(name, []) + own if own is not None else []
            self._matchers[language] = compile_lexicon(merged, self.signals, analysis, f"lexicon-{language}")
        return self._matchers[language]


def referenced_signals(rule: dict) -> set[str]:
    """Every signal a rule names, in any role (looked for, exempting, required beside)."""
    names: set[str] = set()
    for key in SIGNAL_FIELDS:
        value = rule.get(key)
        if isinstance(value, str):
            names.add(value)
        elif value:
            names.update(value)
    return names


def _from_data(data: dict) -> Playbook:
    return Playbook.from_data(data)
