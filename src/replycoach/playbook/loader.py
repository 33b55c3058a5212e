"""Loading playbooks: built-in or user files, `extends`/`include`, validation, caching.

The result is a `Playbook` of plain data (dicts straight from the validated models), so the
engine can run from the cache without importing pydantic. Nothing here knows a rule by name.
"""

from __future__ import annotations

from pathlib import Path

from replycoach.core.cache import cached
from replycoach.core.errors import UserError
from replycoach.core.resources import builtin_dir
from replycoach.playbook.model import Playbook, referenced_signals

DEFAULT = "default"


def load_playbook(specs: list[str] | None = None, base_dir: Path | None = None) -> Playbook:
    """Load the built-in playbook, or the given ones layered in order over it.

    A spec is a built-in name (`default`) or a path to a YAML file. A user file that says
    `extends: default` (or has no `extends`) is layered over the built-in playbook.
    """
    specs = specs or [DEFAULT]
    roots = [str(_locate(spec, base_dir or Path.cwd())) for spec in specs]
    data = cached("playbook", "|".join(roots), lambda: _shipped_or_built(roots),
                  split=("lexicon", "analysis", "examples"))
    return Playbook.from_data(data)


def _shipped_or_built(roots: list[str]) -> tuple[dict, list[str]]:
    """The built-in playbook as validated at build time when it still matches its files
    (see `prebuilt`), else validated now."""
    if roots == [str(builtin_dir("playbooks") / f"{DEFAULT}.yaml")]:
        from replycoach.playbook import prebuilt

        shipped = prebuilt.load()
        if shipped is not None:
            return shipped
    return _build(roots)


def _locate(spec: str, base_dir: Path) -> Path:
    if "/" not in spec and "\\" not in spec and not spec.endswith((".yaml", ".yml")):
        path = builtin_dir("playbooks") / f"{spec}.yaml"
        if not path.is_file():
            known = sorted(p.stem for p in builtin_dir("playbooks").glob("*.yaml"))
            raise UserError(f"no built-in playbook {spec!r} (built-in: {', '.join(known)})", "playbook")
        return path
    path = (base_dir / spec).resolve()
    if not path.is_file():
        raise UserError("playbook file not found", str(path))
    return path


class _Merger:
    def __init__(self) -> None:
        self.files: list[str] = []
        self.name = DEFAULT
        self.rules: dict[str, dict] = {}
        self.rule_origin: dict[str, str] = {}
        self.signals: dict[str, dict] = {}
        self.lexicon: dict[str, dict[str, list[dict]]] = {}
        self.examples: dict[str, dict[str, dict]] = {}
        self.checklist: dict[str, dict] = {}
        self.settings: dict = {}
        self.language_packs: dict[str, dict] = {}
        self.detector: dict = {"model": None, "thresholds": {}}
        self.forms: dict[str, dict[str, list[str]]] = {}
        self.templates: list[tuple[str, dict, str]] = []  # (language, entry, file): expanded once all forms are in
        self.overrides: list[tuple[str, dict]] = []
        self.seen: set[str] = set()

    def add(self, path: Path, layer: str, chain: tuple[str, ...] = ()) -> None:
        key = str(path)
        if key in chain:
            raise UserError("playbook includes or extends itself (a cycle)", key)
        if key in self.seen:
            return
        self.seen.add(key)
        model = _validate_file(path)
        if model.extends:
            self.add(_locate(model.extends, path.parent), model.extends, (*chain, key))
        elif layer == "user" and DEFAULT not in {Path(p).stem for p in self.files}:
            self.add(_locate(DEFAULT, path.parent), DEFAULT, (*chain, key))
        self.files.append(key)
        if model.name:
            self.name = model.name
        for sub in model.include:
            self.add((path.parent / sub).resolve(), layer if layer != "user" else "include", (*chain, key))
        if model.settings:
            for k, v in model.settings.model_dump(exclude_defaults=True).items():
                self.settings[k] = {**self.settings[k], **v} if isinstance(v, dict) and k in self.settings else v
        if model.detector is not None:
            if model.detector.model:
                self.detector["model"] = str((path.parent / model.detector.model).resolve())
            self.detector["thresholds"] = {**self.detector["thresholds"], **model.detector.thresholds}
            if model.detector.needs_details is not None:
                self.detector["needs_details"] = model.detector.needs_details
        for code, info in model.languages.items():  # a later layer's keys win, the others stay
            self.language_packs[code] = {**self.language_packs.get(code, {}),
                                         **info.model_dump(exclude_none=True, exclude_unset=True)}
        for name, item in model.checklist.items():
            self.checklist[name] = item.model_dump()
        for name, sig in model.signals.items():
            self.signals[name] = sig.model_dump()
        for rule in model.rules:
            data = rule.model_dump()
            origin = self.rule_origin.get(rule.name)
            if origin == key:
                raise UserError(f"rule {rule.name!r} is defined twice", key)
            clash = next((r for r in self.rules.values() if r["code"] == rule.code and r["name"] != rule.name), None)
            if clash:
                raise UserError(f"rule {rule.name!r} reuses code {rule.code} of rule {clash['name']!r}", key)
            self.rules[rule.name] = data
            self.rule_origin[rule.name] = key
        for lang, lemmas in model.forms.items():
            self.forms.setdefault(lang, {}).update(lemmas)
        for lang, signals in model.lexicon.items():
            target = self.lexicon.setdefault(lang, {})
            for name, entries in signals.items():
                existing = target.setdefault(name, [])
                known = {(e["phrase"] or "").lower() for e in existing if e["phrase"]}
                for entry in entries:
                    dumped = entry.model_dump(by_alias=True)
                    if dumped["template"]:
                        self.templates.append((lang, dumped, key))
                    if dumped["phrase"] and dumped["phrase"].lower() in known:
                        continue
                    existing.append(dumped)
        for lang, sets in model.examples.items():
            for rule_name, example in sets.items():
                self.examples.setdefault(lang, {})[rule_name] = example.model_dump()
        for name, override in model.override.items():
            self.overrides.append((key, {"name": name, **override.model_dump(exclude_none=True)}))

    def result(self) -> dict:
        from replycoach.playbook.forms import expand

        for lang, entry, where in self.templates:
            entry["pattern"] = expand(entry["template"], self.forms.get(lang, {}), where)
        for where, override in self.overrides:
            name = override.pop("name")
            rule = self.rules.get(name) or next((r for r in self.rules.values() if r["code"] == name), None)
            if rule is None:
                raise UserError(f"override names unknown rule {name!r}", where)
            rule.update(override)
        for name, rule in self.rules.items():
            where = self.rule_origin[name]
            for signal in referenced_signals(rule):
                if signal not in self.signals:
                    raise UserError(f"rule {name!r} uses undefined signal {signal!r}", where)
        for lang, signals in self.lexicon.items():
            for signal in signals:
                if signal not in self.signals:
                    raise UserError(f"lexicon ({lang}) gives phrases for undefined signal {signal!r}", self.files[-1])
        for lang, sets in self.examples.items():
            for rule_name in sets:
                if rule_name not in self.rules:
                    raise UserError(f"examples ({lang}) for unknown rule {rule_name!r}", self.files[-1])
        for signal in self.detector["thresholds"]:
            if signal not in self.signals:
                raise UserError(f"detector.thresholds names undefined signal {signal!r}", self.files[-1])
        if self.detector["model"] and not Path(self.detector["model"]).is_file():
            raise UserError("detector model file not found", self.detector["model"])
        for sig_name, sig in self.signals.items():
            for other in sig["suppressed_by"]:
                if other not in self.signals:
                    raise UserError(f"signal {sig_name!r} is suppressed_by undefined signal {other!r}", self.files[-1])
        return {
            "name": self.name,
            "rules": sorted(self.rules.values(), key=lambda r: r["code"]),
            "signals": self.signals,
            "lexicon": self.lexicon,
            "examples": self.examples,
            "checklist": self.checklist,
            "settings": self.settings,
            "language_packs": self.language_packs,
            "detector": self.detector,
            "files": self.files,
        }


def _build(roots: list[str]) -> tuple[dict, list[str]]:
    merger = _Merger()
    builtin = builtin_dir("playbooks").resolve()
    for root in roots:
        path = Path(root)
        merger.add(path, "builtin" if path.parent == builtin else "user")
    data = merger.result()
    from replycoach.matching import check
    from replycoach.matching.analysis import entry_analysis

    data["analysis"] = {
        lang: {name: [entry_analysis(e) for e in entries] for name, entries in signals.items()}
        for lang, signals in data["lexicon"].items()
    }
    # compile every language once, so a bad pattern is reported now (naming its file)
    playbook = Playbook.from_data(data)
    for lang in [*playbook.languages, "*"]:
        try:
            check(playbook.matchers(lang))
        except ValueError as exc:
            raise UserError(str(exc), f"lexicon {lang}") from None
    return data, merger.files


def _validate_file(path: Path):
    from pydantic import ValidationError

    from replycoach.core.validation import describe_validation_error
    from replycoach.core.yamlio import load_yaml
    from replycoach.playbook.schema import RULE_KINDS, PlaybookFile

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read playbook: {exc}", str(path)) from None
    raw = load_yaml(text, str(path))
    try:
        return PlaybookFile.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise UserError(describe_validation_error(exc, text, RULE_KINDS), str(path)) from None


