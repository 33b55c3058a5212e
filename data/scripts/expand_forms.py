"""Generate the inflected forms of every lemma the language packs' templates use.

    pip install -e '.[train]'                     # morfeusz2 (Polish, SGJP dictionary, BSD-2)
    apt-get download hunspell-bg hunspell-tools   # the Bulgarian dictionary (GPL-2) and unmunch
    python data/scripts/expand_forms.py --bg-deb-dir DIR   # DIR holds the two .deb files
    python data/scripts/expand_forms.py --check   # only say whether the forms files are up to date

Writes `playbooks/default/{pl,bg}.forms.yaml`: for every `{lemma}` in a template of that
language's pack, its forms. Polish: the finite, past, imperative, infinitive, impersonal and
future forms of a verb (with the past tense's personal endings, `wysłaliśmy`, and the
conditional, `wysłalibyśmy`, which Morfeusz analyses as separate segments), every form of a
noun or adjective; and each form also without diacritics, as people type on phones.
`{wysłać:1}` is only the first-person forms (what the agent does: wyślę, wyślemy,
wysłaliśmy, wyślijmy), `{wysłać:2}` the second person's (what the customer is asked to
do: wyślij, wyślesz, wysłałeś), `{wysłać:3}` the third's.
Bulgarian: every form the hunspell dictionary's affix rules give the lemma (its `unmunch`).
The files are data; nothing here runs when replycoach lints.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "playbooks" / "default"
SLOT = re.compile(r"\{([^{}]+)\}")
VERB_CLASSES = {"fin", "bedzie", "praet", "impt", "imps", "inf", "pcon"}
NOMINAL_CLASSES = {"subst", "adj", "adja", "adjp", "adv", "ppas", "pact", "ger"}
AGGLUTINATE = {  # the past tense's personal endings, by the form's own ending
    "ł": ("em", "eś"), "ła": ("m", "ś"), "li": ("śmy", "ście"), "ły": ("śmy", "ście"),
}
PLAIN = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def template_lemmas(lang: str) -> list[str]:
    import yaml

    data = yaml.safe_load((PACKS / f"{lang}.yaml").read_text(encoding="utf-8")) or {}
    found: set[str] = set()
    for entries in (data.get("lexicon") or {}).values():
        for entry in entries or ():
            if isinstance(entry, dict) and entry.get("template"):
                for slot in SLOT.findall(entry["template"]):
                    found.update(part.strip() for part in slot.split("|"))
    return sorted(found)


PERSONS = {"1": "pri", "2": "sec", "3": "ter"}
AGGLUTINATE_PERSON = {"em": "pri", "m": "pri", "śmy": "pri", "eś": "sec", "ś": "sec", "ście": "sec"}


def polish_forms(slot: str) -> list[str]:
    """Forms of `lemma` or, for `lemma:1` (2, 3), of one grammatical person only; `lemma:v1`
    (or `lemma:v1:1`) keeps one of the dictionary's homonyms (wysłać:v1 sends, wysłać:v2 lines)."""
    import morfeusz2

    lemma, *rest = slot.split(":")
    sense = next((r for r in rest if re.fullmatch(r"[a-z]\d", r)), None)
    person = next((r for r in rest if r in PERSONS), None)
    wanted = PERSONS.get(person)
    generator = morfeusz2.Morfeusz(generate=True, analyse=False)
    forms: set[str] = set()
    for form, full_lemma, tag, *_ in generator.generate(lemma):
        name, _, homonym = full_lemma.partition(":")
        if name != lemma or (sense is not None and homonym != sense):
            continue
        parts = tag.split(":")
        word_class = parts[0]
        if word_class not in VERB_CLASSES and word_class not in NOMINAL_CLASSES:
            continue
        if form.startswith("nie") and not lemma.startswith("nie"):
            continue  # negated participles and gerunds: "niewysłany" is not a way of saying "sent"
        if word_class == "praet":
            for ending, suffixes in AGGLUTINATE.items():
                if form.endswith(ending):
                    for suffix in suffixes:
                        if wanted in (None, AGGLUTINATE_PERSON[suffix]):
                            forms.add(form + suffix)
                            forms.add(form + "by" + ("śmy" if suffix == "śmy" else "ście" if suffix == "ście"
                                                      else "m" if AGGLUTINATE_PERSON[suffix] == "pri" else "ś"))
            if wanted in (None, "ter"):
                forms.update((form, form + "by"))
            continue
        if wanted is None or wanted in parts:
            forms.add(form)
    forms |= {f.translate(PLAIN) for f in forms}
    if not forms:
        raise SystemExit(f"Morfeusz knows no forms of {lemma!r}: check the spelling of the lemma")
    return sorted(forms)


def bulgarian_forms(lemmas: list[str], deb_dir: Path) -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        for deb in ("hunspell-bg", "hunspell-tools"):
            package = next(deb_dir.glob(f"{deb}_*.deb"), None)
            if package is None:
                raise SystemExit(f"{deb}_*.deb not in {deb_dir} (apt-get download {deb})")
            subprocess.run(["dpkg-deb", "-x", str(package), str(root)], check=True)
        dic = root / "usr/share/hunspell/bg_BG.dic"
        aff = root / "usr/share/hunspell/bg_BG.aff"
        flags: dict[str, str] = {}
        for line in dic.read_text(encoding="utf-8").splitlines()[1:]:
            word, _, flag = line.partition("/")
            flags.setdefault(word, flag)
        out = {}
        for lemma in lemmas:
            if lemma not in flags:
                raise SystemExit(f"the Bulgarian dictionary has no entry {lemma!r}: use its dictionary form")
            one = root / "one.dic"
            one.write_text(f"1\n{lemma}/{flags[lemma]}\n" if flags[lemma] else f"1\n{lemma}\n", encoding="utf-8")
            result = subprocess.run([str(root / "usr/bin/unmunch"), str(one), str(aff)], capture_output=True,
                                    text=True, env={"LD_LIBRARY_PATH": str(root / "usr/lib/x86_64-linux-gnu")})
            forms = {w.strip() for w in result.stdout.splitlines() if w.strip()}
            out[lemma] = sorted(forms | {lemma})
        return out


def render(lang: str, forms: dict[str, list[str]], source: str) -> str:
    lines = [f"# Generated by data/scripts/expand_forms.py from {source}: do not edit by hand.",
             "# Every form of each lemma the templates of this pack use ({lemma} in a `template:` entry).",
             f"language: {lang}", "forms:"]
    for lemma in sorted(forms):
        lines.append(f"  {lemma}: [{', '.join(forms[lemma])}]")
    return "\n".join(lines) + "\n"


def current(lang: str) -> set[str]:
    import yaml

    path = PACKS / f"{lang}.forms.yaml"
    if not path.is_file():
        return set()
    return set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("forms") or {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bg-deb-dir", type=Path, help="folder with hunspell-bg_*.deb and hunspell-tools_*.deb")
    parser.add_argument("--check", action="store_true", help="only check that the forms files are up to date")
    args = parser.parse_args()
    stale = [lang for lang in ("pl", "bg") if set(template_lemmas(lang)) != current(lang)]
    if args.check:
        print("up to date" if not stale else f"stale: {', '.join(stale)}")
        return 1 if stale else 0
    for lang in stale:
        lemmas = template_lemmas(lang)
        if lang == "pl":
            forms = {lemma: polish_forms(lemma) for lemma in lemmas}
            source = "Morfeusz 2 with the SGJP dictionary (BSD-2-Clause), diacritic-free spellings added"
        else:
            if args.bg_deb_dir is None:
                parser.error("Bulgarian lemmas changed: give --bg-deb-dir")
            forms = bulgarian_forms(lemmas, args.bg_deb_dir)
            source = "the hunspell-bg dictionary (bgoffice, GPL-2) through hunspell's unmunch"
        (PACKS / f"{lang}.forms.yaml").write_text(render(lang, forms, source), encoding="utf-8")
        print(f"{lang}: {len(forms)} lemmas, {sum(map(len, forms.values()))} forms")
    if not stale:
        print("up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
