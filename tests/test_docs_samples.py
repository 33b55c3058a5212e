"""The samples in docs/draft.md and docs/canned.md are real runs: each is made again here and compared.

A sample is a fenced block, found by the heading or sentence before it. What the doc shows
as printed must be what the command prints now, byte for byte; a JSON sample may leave parts
out with `"..."` (a string ending in `...` is a prefix, a list ending in `"..."` a first part,
a `"...": "..."` key stands for the keys not shown). Samples that depend on the time use
`now:` or `--now`. The speed table is a measurement, not a sample: it is not checked.

When a test here fails, run the command it names and paste its output into the doc.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from .helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
DRAFT_DOC = ROOT / "docs" / "draft.md"
EXAMPLE_CASE = ROOT / "examples" / "cases" / "en" / "complaint.yaml"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def block_after(doc: Path, marker: str, language: str | None = None) -> str:
    """The text of the first fenced block (of `language`, if given) that starts after `marker`."""
    text = doc.read_text(encoding="utf-8")
    start = text.index(marker)
    found = [m.group(2) for m in FENCE.finditer(text) if m.start() > start and language in (None, m.group(1))]
    assert found, f"{doc.name}: no ```{language or ''} block after {marker!r}"
    return found[0]


def prose_after(doc: Path, marker: str) -> str:
    """The text from `marker` to the next fenced block, on one line."""
    text = doc.read_text(encoding="utf-8")
    start = text.index(marker)
    return " ".join(text[start:text.index("\n```", start)].split())


def matches(shown, real, path: str = "") -> None:
    """Compare a JSON sample with a real value; `...` leaves parts out (see the module's docstring)."""
    if isinstance(shown, str) and shown.endswith("..."):
        assert isinstance(real, str) and real.startswith(shown[:-3]), f"{path}: {real!r} does not start {shown!r}"
    elif isinstance(shown, dict):
        assert isinstance(real, dict), f"{path}: {real!r} is not a mapping"
        keys = set(shown) - {"..."}
        if "..." in shown:
            assert keys <= set(real), f"{path}: no {sorted(keys - set(real))} in the real output"
        else:
            assert keys == set(real), f"{path}: keys {sorted(keys)} shown, {sorted(real)} real"
        for key in keys:
            matches(shown[key], real[key], f"{path}.{key}")
    elif isinstance(shown, list):
        assert isinstance(real, list), f"{path}: {real!r} is not a list"
        head = shown[:-1] if shown and shown[-1] == "..." else shown
        if len(head) < len(shown):
            assert len(real) >= len(head), f"{path}: {len(real)} items real, at least {len(head)} shown"
        else:
            assert len(real) == len(head), f"{path}: {len(real)} items real, {len(head)} shown"
        for index, item in enumerate(head):
            matches(item, real[index], f"{path}[{index}]")
    else:
        assert shown == real, f"{path}: {shown!r} shown, {real!r} real"


# --- docs/draft.md -----------------------------------------------------------------------------


def test_the_real_run_shows_the_bundled_case_as_it_is():
    assert block_after(DRAFT_DOC, "## A real run", "yaml") == EXAMPLE_CASE.read_text(encoding="utf-8")


def test_the_real_run_shows_what_the_draft_prints():
    """`replycoach draft --case examples/cases/en/complaint.yaml`: the reply, the coaching, the exit status."""
    console = block_after(DRAFT_DOC, "## A real run", "console")
    commands = [line[2:] for line in console.splitlines() if line.startswith("$ ")]
    assert commands == ["replycoach draft --case examples/cases/en/complaint.yaml > reply.txt", "cat reply.txt"]
    shown_reply = console.split("$ cat reply.txt\n", 1)[1]
    result = run_cli("draft", "--case", "examples/cases/en/complaint.yaml", cwd=ROOT)
    assert result.stdout == shown_reply
    assert f"exit status {result.returncode})" in prose_after(DRAFT_DOC, "and on stderr")
    assert block_after(DRAFT_DOC, "and on stderr") == result.stderr


def test_the_real_runs_account_of_shortening_the_reply_is_true(monkeypatch):
    """The paragraph after the coaching: how long each rendering was, and what is left to say."""
    from replycoach.draft import compose
    from replycoach.draft.case import load_case

    text = prose_after(DRAFT_DOC, "The first rendering")
    first, shortest, final = (int(n) for n in re.search(
        r"first rendering \((\d+) characters.*?shortest phrasings gave (\d+) characters.*?gave the (\d+) above",
        text).groups())
    case = load_case(str(EXAMPLE_CASE))
    lengths = []
    for levels in ((), (1,), (1, 2)):
        monkeypatch.setattr(compose, "COMPACT_LEVELS", levels)
        lengths.append(len(compose.draft_case(case).reply))
    assert lengths == [first, shortest, final]
    monkeypatch.setattr(compose, "COMPACT_LEVELS", ())
    quoted = re.search(r'with "([^"]+)" and longer', text).group(1)
    assert quoted in compose.draft_case(case).reply


def test_the_json_sample_is_the_real_runs_json():
    shown = json.loads(block_after(DRAFT_DOC, "JSON (`--format json`)", "json"))
    result = run_cli("draft", "--case", "examples/cases/en/complaint.yaml", "--format", "json", cwd=ROOT)
    assert result.returncode == 0
    matches(shown, json.loads(result.stdout))


BAD_CASES = {  # what makes each line of the doc's sample of bad cases
    "complaint.text: required": ("case.yaml", "channel: twitter\n"),
    "chanel: unknown field": ("case.yaml", "chanel: twitter\ncomplaint: {text: My parcel never arrived}\n"),
    "not a real date": ("case.yaml", "channel: twitter\ncomplaint:\n  text: My parcel never arrived\n"
                                     "  received_at: 2024-02-30T08:10:00Z\n"),
    "invalid JSON": ("case.json", '{\n  "channel": "twitter",\n  "complaint": {"text": "My parcel never arrived"}\n'
                                  '  "agent": {"name": "Tom"}\n}\n'),
}


def test_the_bad_case_samples_are_what_a_bad_case_prints(tmp_path):
    shown = block_after(DRAFT_DOC, "A bad case gets one line").splitlines()
    assert len(shown) == len(BAD_CASES)
    for line, (what, (name, text)) in zip(shown, BAD_CASES.items(), strict=True):
        assert what in line
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = run_cli("draft", "--case", name, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == line + "\n"


SANDBOXED = {  # what makes each line of the doc's sample of templates the sandbox stops
    "'__class__'": "{{ ''.__class__.__mro__ }}",
    "a format width": '{{ "{:>3000000000}".format(customer.name) }}',
    "stopped after 2 s": "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                         "{% endfor %}{% endfor %}{% endfor %}",
}


@pytest.mark.parametrize("what", list(SANDBOXED))
def test_the_sandbox_samples_are_what_a_misbehaving_template_prints(tmp_path, what):
    shown = [line for line in block_after(DRAFT_DOC, "stops the draft with one line").splitlines() if what in line]
    assert len(shown) == 1, f"no single line with {what!r} in the sample"
    (tmp_path / "mytemplates" / "en").mkdir(parents=True)
    (tmp_path / "mytemplates" / "en" / "complaint.j2").write_text(SANDBOXED[what], encoding="utf-8")
    result = run_cli("draft", "--case", str(EXAMPLE_CASE), "--templates", "mytemplates", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == shown[0] + "\n"


def test_the_case_file_sample_is_a_valid_case_that_drafts_cleanly(tmp_path):
    (tmp_path / "complaint.yaml").write_text(block_after(DRAFT_DOC, "## The case file", "yaml"), encoding="utf-8")
    result = run_cli("draft", "--case", "complaint.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_usage_lines_run(tmp_path):
    """The first block: each command, run on the doc's own sample case as `complaint.yaml`."""
    (tmp_path / "complaint.yaml").write_text(block_after(DRAFT_DOC, "## The case file", "yaml"), encoding="utf-8")
    for line in block_after(DRAFT_DOC, "# Drafting a reply", "sh").splitlines():
        words = shlex.split(line, comments=True)
        assert words[:2] == ["replycoach", "draft"], line
        target = words[words.index(">") + 1] if ">" in words else None
        args = words[2:words.index(">")] if target else words[2:]
        result = run_cli("draft", *args, cwd=tmp_path)
        assert result.returncode == 0, f"{line}: {result.stderr}"
        if target:
            (tmp_path / target).write_text(result.stdout, encoding="utf-8")
    assert (tmp_path / "reply.txt").read_text(encoding="utf-8").startswith("@mayap Hi Maya!")


def test_the_variants_sample_renders_to_one_of_its_phrasings():
    from replycoach.draft.compose import Variants
    from replycoach.draft.sandbox import limited_environment, template_folders

    template = limited_environment(template_folders(None, "en")).from_string(block_after(DRAFT_DOC, "## Templates",
                                                                                         "jinja"))
    phrasings = {"I'm sorry the parcel is late.", "I'm really sorry the parcel is late."}
    seen = {template.render(problem="the parcel is late", variants=Variants(seed)).strip()
            for seed in ("Maya", "Tom", "Anna", "Priya", "Kim")}
    assert seen <= phrasings


# --- docs/canned.md ----------------------------------------------------------------------------

CANNED_DOC = ROOT / "docs" / "canned.md"
CANNED_REPO = ROOT / "examples" / "canned-repo"


@pytest.fixture
def canned_repo(tmp_path):
    """A copy of the example repository as a user has it: its own git root, so paths are relative to it."""
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(CANNED_REPO, repo)
    (repo / ".git").mkdir()
    return repo


def shown_in(sample: str, real: str) -> None:
    """Every part of a text sample between `...` lines is in the real output, in order."""
    parts, current = [], []
    for line in sample.splitlines():
        if line.strip() == "...":
            parts.append(current)
            current = []
        else:
            current.append(line)
    parts.append(current)
    at = 0
    for part in filter(None, parts):
        text = "\n".join(part)
        found = real.find(text, at)
        assert found >= 0, f"not in the real output (from offset {at}):\n{text}\n--- real output ---\n{real}"
        at = found + len(text)


def _commands(sample: str) -> list[tuple[list[str], str]]:
    """The `$ replycoach ...` commands of a console sample, each with what the doc shows it printing."""
    out: list[tuple[list[str], str]] = []
    for block in re.split(r"^\$ ", sample, flags=re.M)[1:]:
        command, _, shown = block.partition("\n")
        out.append((shlex.split(command), shown.rstrip("\n")))
    return out


def test_the_near_duplicate_sample_is_what_lint_prints(canned_repo):
    result = run_cli("lint", "responses", cwd=canned_repo)
    shown_in(block_after(CANNED_DOC, "rule's `threshold`", "text"), result.stdout)


def test_the_pre_commit_sample_is_what_the_hook_prints(canned_repo):
    """The hook's output below pre-commit's own header is replycoach's, and the commit fails."""
    sample = block_after(CANNED_DOC, "A commit with a flawed", "text")
    command, shown = _commands(sample)[0]
    assert command[:3] == ["pre-commit", "run", "--files"]
    result = run_cli("lint", *command[3:], cwd=canned_repo)
    assert "exit code: 1" in shown and result.returncode == 1
    body = shown.split("- exit code: 1\n\n", 1)[1]
    shown_in(body, result.stdout + result.stderr)


def test_the_diff_and_fix_samples_are_what_they_print(canned_repo):
    sample = block_after(CANNED_DOC, "## Fixing: `--fix` and `--diff`", "text")
    (diff_args, diff_shown), (fix_args, fix_shown) = _commands(sample)
    assert diff_args == ["replycoach", "lint", "responses", "--diff"]
    before = {p: p.read_bytes() for p in canned_repo.rglob("*") if p.is_file()}
    result = run_cli(*diff_args[1:], cwd=canned_repo)
    assert result.returncode == 1
    shown_in(diff_shown, result.stdout + result.stderr)
    assert {p: p.read_bytes() for p in canned_repo.rglob("*") if p.is_file()} == before  # --diff writes nothing
    assert fix_args == ["replycoach", "lint", "responses", "--fix"]
    result = run_cli(*fix_args[1:], cwd=canned_repo)
    shown_in(fix_shown, result.stderr + result.stdout)


def test_the_github_sample_is_what_the_github_format_prints(canned_repo):
    sample = block_after(CANNED_DOC, "## CI: annotations and code scanning", "text")
    (args, shown), = _commands(sample)
    result = run_cli(*args[1:], cwd=canned_repo)
    assert result.stdout.rstrip("\n") == shown


def test_the_sarif_sample_is_one_real_result(canned_repo):
    shown = json.loads(block_after(CANNED_DOC, "One result:", "json"))
    result = run_cli("lint", "responses", "--format", "sarif", cwd=canned_repo)
    results = json.loads(result.stdout)["runs"][0]["results"]
    uri = shown["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    real = [r for r in results if r["ruleId"] == shown["ruleId"]
            and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri]
    assert len(real) == 1
    matches(shown, real[0])
