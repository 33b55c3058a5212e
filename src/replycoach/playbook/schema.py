"""The playbook file format, as pydantic models.

Imported only when a playbook is (re)validated: the lint path reads the validated result
from the cache and never pays for pydantic. The `kind` discriminated union below is the one
place the closed set of rule kinds is listed.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

NAME = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
CONTEXT_KEYS = ("language", "channel", "visibility", "kind", "tone", "fault", "stage", "template", "late")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(Strict):
    """One way a signal shows up in text: a phrase (with `*` for 'any ending'), a regex, or a
    template whose `{lemma}` words stand for every form of the lemma (see `playbook.forms`)."""

    phrase: str | None = None
    pattern: str | None = None
    template: str | None = None
    replace: str | None = None
    case_sensitive: bool = False
    validate_as: Literal["luhn", "phone"] | None = Field(default=None, alias="validate")
    note: str | None = None

    @model_validator(mode="after")
    def _one_of(self):
        if sum(x is not None for x in (self.phrase, self.pattern, self.template)) != 1:
            raise ValueError("an entry needs exactly one of `phrase`, `pattern` or `template`")
        if self.template is not None and "{" not in self.template:
            raise ValueError("a template names at least one {lemma} (else write a phrase)")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern {self.pattern!r} does not compile: {exc}") from None
        if self.phrase is not None and not self.phrase.strip():
            raise ValueError("empty phrase")
        return self


def _entries(value):
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("a signal's lexicon is a list of phrases or {pattern: ...} entries")
    return [{"phrase": item} if isinstance(item, str) else item for item in value]


class SignalDefinition(Strict):
    description: str = ""
    suppressed_by: list[str] = []
    match_opaque: bool = False  # may match inside URLs and @handles


When = dict[Literal[CONTEXT_KEYS], list[str | bool]]  # type: ignore[valid-type]


class RuleBase(Strict):
    name: Annotated[str, Field(pattern=NAME)]
    code: Annotated[str, Field(pattern=r"^[A-Z]{2,4}\d{3}$")]
    severity: Literal["error", "warning", "info"]
    family: str = ""
    summary: str
    message: str
    rationale: str
    sources: list[Annotated[str, Field(pattern=r"^\d{3}$")]] = Field(min_length=1)
    suggestion: str = ""
    when: When = {}
    unless: When = {}
    enabled: bool = True


SignalList = Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v), Field(min_length=1)]
"""One signal name or a list of them: `signal: apology` and `signal: [apology, vague-apology]`."""


class ForbidRule(RuleBase):
    kind: Literal["forbid"]
    signal: SignalList
    unless_with: list[str] = []
    window: int = Field(default=0, ge=0, le=3)  # sentences either side that `unless_with` reaches
    unless_present: list[str] = []
    only_with: list[str] = []
    fixable: bool = False


class RequireRule(RuleBase):
    kind: Literal["require"]
    signal: SignalList
    unless_present: list[str] = []
    if_present: list[str] = []  # the rule asks for its signal only when one of these is in the reply
    closest: list[str] = []  # signals that come close to it: shown with the finding when present


class PositionRule(RuleBase):
    kind: Literal["position"]
    signal: str
    within_sentences: int = Field(ge=1)


class CooccurRule(RuleBase):
    kind: Literal["cooccur"]
    signals: list[str] = Field(min_length=2)


class ShoutingRule(RuleBase):
    kind: Literal["shouting"]
    min_letters: int = Field(default=2, ge=2)
    run: int = Field(default=2, ge=2)  # this many capitalised words in a row are shouting
    signal: str | None = None  # a single word is shouting only when this signal matches it in capitals
    exempt: list[str] = []  # capitals inside these signals' hits are not shouting (a discount code)
    # "?!" in a run of ?s and !s (the whole run), or "!!" and more; the same as
    # `[!?]*\?![!?]*|!{2,}`, written to start with one character class so that re skips to
    # those characters instead of trying every position of the reply (5x faster)
    punctuation: list[str] = [r"[!?](?:(?<=\?)![!?]*|[!?]*\?![!?]*|(?<=!)!+)"]


class LengthRule(RuleBase):
    kind: Literal["length"]
    limits: dict[str, int] = {}
    public_limit: int | None = None
    # X/Twitter counting: every link is 23 characters, the @handles a reply opens with are
    # free, and HTML entities (&amp;) are one character
    twitter_counting: bool = False


class PlaceholderRule(RuleBase):
    kind: Literal["placeholder"]
    styles: list[Literal["jinja", "jinja-tag", "brace", "marker"]] = ["jinja", "jinja-tag", "brace", "marker"]


class VariablesRule(RuleBase):
    kind: Literal["variables"]


class TimingRule(RuleBase):
    kind: Literal["timing"]
    error_factor: float = Field(default=3.0, gt=1)


class DuplicateRule(RuleBase):
    kind: Literal["near-duplicate"]
    threshold: float = Field(default=0.85, gt=0, le=1)


class TemplateSyntaxRule(RuleBase):
    kind: Literal["template-syntax"]


Rule = Annotated[
    ForbidRule | RequireRule | PositionRule | CooccurRule | ShoutingRule | LengthRule | PlaceholderRule
    | VariablesRule | TimingRule | DuplicateRule | TemplateSyntaxRule,
    Field(discriminator="kind"),
]


class Override(Strict):
    severity: Literal["error", "warning", "info"] | None = None
    enabled: bool | None = None
    message: str | None = None
    suggestion: str | None = None


class Example(Strict):
    """An example that needs its own context (e.g. other timestamps than its siblings)."""

    text: str
    context: dict[str, str | bool] = {}


class ExampleSet(Strict):
    context: dict[str, str | bool] = {}
    bad: list[str | Example] = []
    good: list[str | Example] = []


class LanguageInfo(Strict):
    """What tells a language apart and how it writes (see `playbook.languages`)."""

    name: str | None = None
    words: list[str] = []
    letters: str = ""
    capitals: str = ""
    abbreviations: list[str] = []
    script: Literal["latin", "cyrillic", "greek"] = "latin"
    fillers: str = ""

    @model_validator(mode="after")
    def _classes(self):
        for key in ("letters", "capitals", "fillers"):
            value = getattr(self, key)
            if value and ("]" in value or "\\" in value or value.startswith("^")):
                raise ValueError(f"{key}: letters only (ranges such as A-Z are fine), no ], \\ or leading ^")
            try:
                re.compile(f"[{value}]") if value else None
            except re.error as exc:
                raise ValueError(f"{key}: {value!r} is not a set of letters: {exc}") from None
        return self


class DetectorSettings(Strict):
    """The learned detector beside the lexicon (see `matching.detector`).

    `model` is a weights file, relative to the playbook file that names it. A signal in
    `thresholds` is also found where the model's probability passes its threshold; a
    threshold of null switches the detector off for that signal (the lexicon still works).
    """

    model: str | None = None
    thresholds: dict[str, Annotated[float, Field(gt=0, lt=1)] | None] = {}
    # a customer's message gives nothing concrete to act on when the model says so this surely
    needs_details: Annotated[float, Field(gt=0, lt=1)] | None = None


class ChecklistItem(Strict):
    label: str
    signals: list[str] = Field(min_length=1)


class Settings(Strict):
    first_reply_target_minutes: dict[str, int] = {}
    industry_average_minutes: int | None = None
    acronyms: list[str] = []
    template_variables: list[str] = []
    # `replycoach draft`'s triage: cue (abuse, ultimatum, personal_data, off_topic, concrete,
    # resolved) -> the signals that show it in a case's text; triage keeps no word lists
    triage: dict[str, list[str]] = {}
    default_language: str | None = None  # what detection falls back on when no language's cues win


class PlaybookFile(Strict):
    """One YAML file. A language pack sets `language` and gives `lexicon`/`examples` for it."""

    name: str | None = None
    description: str = ""
    extends: str | None = None
    include: list[str] = []
    language: str | None = None
    language_name: str | None = None  # the same as `languages: {<language>: {name: ...}}`
    languages: dict[str, LanguageInfo] = {}
    settings: Settings | None = None
    detector: DetectorSettings | None = None
    checklist: dict[str, ChecklistItem] = {}
    signals: dict[str, SignalDefinition] = {}
    rules: list[Rule] = []
    override: dict[str, Override] = {}
    lexicon: dict[str, dict[str, list[Entry]]] = {}
    # language -> lemma -> its inflected forms, for templates (generated by data/scripts/expand_forms.py);
    # a language pack gives `forms: {lemma: [...]}` for its own language
    forms: dict[str, dict[str, list[str]]] = {}
    examples: dict[str, dict[str, ExampleSet]] = {}

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data):
        if not isinstance(data, dict):
            raise ValueError("a playbook is a mapping (name, rules, signals, lexicon, ...)")
        data = dict(data)
        lexicon = data.get("lexicon") or {}
        if not isinstance(lexicon, dict):
            raise ValueError("lexicon must be a mapping")
        if data.get("language"):
            data["lexicon"] = {data["language"]: {k: _entries(v) for k, v in lexicon.items()}}
            if data.get("language_name"):
                languages = dict(data.get("languages") or {})
                info = languages.get(data["language"])
                languages[data["language"]] = {"name": data["language_name"], **(info or {})}
                data["languages"] = languages
            if "examples" in data and data["examples"] is not None:
                data["examples"] = {data["language"]: data["examples"]}
            if data.get("forms") is not None:
                data["forms"] = {data["language"]: data["forms"]}
        else:
            data["lexicon"] = {
                lang: {k: _entries(v) for k, v in (sigs or {}).items()} for lang, sigs in lexicon.items()
            }
        return data


# the `kind` of every rule model in the union (pydantic names them in error locations)
RULE_KINDS = frozenset(get_args(model.model_fields["kind"].annotation)[0] for model in get_args(get_args(Rule)[0]))
