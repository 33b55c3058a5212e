"""`replycoach init`: set a canned-response repository up in one step.

Writes a commented `.replycoach.yaml` (every setting shown with its default, so the file
documents itself) and prints the `.pre-commit-config.yaml` snippet to add. It refuses to
overwrite an existing config unless told to, and it never edits the user's pre-commit
config: merging YAML by hand is the user's call.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from replycoach import __version__

REPOSITORY = "https://github.com/replycoach/replycoach"

CONFIG = """\
# replycoach settings for this repository of canned responses.
# Found by searching upward from each checked file; see `replycoach lint --help`.

# Everything here is a template: its {{ slots }} are filled in when an agent sends it, so a
# slot is not "leftover" text, but it must be a variable your helpdesk really fills in.
context:
  template: true
  # The situation the responses answer, when a file's front matter doesn't say:
  # channel: twitter        # twitter, x, facebook, instagram, review, email, chat, sms ...
  # kind: complaint         # complaint, question, outage, off-topic, praise
  # fault: company          # company, customer, third_party, unknown
  # language: en            # en, pl or bg; detected from the text when not given

# The variables your helpdesk fills in. A slot not listed (or a typo of one) is an error
# (unknown-placeholder). Leave the list out to use the built-in one (`replycoach rules
# explain unknown-placeholder`).
template_variables:
  - customer.name
  - customer.first_name
  - customer.handle
  - agent.name
  - issue.order_id
  - ticket.id
  - ticket.requester.first_name

# Which files are canned responses. Walking a directory looks at these extensions; YAML and
# JSON files are collections (a list of responses with `id`, `title` and `text`).
extensions: [.txt, .md, .j2, .jinja, .yaml, .yml, .json]
exclude:
  - README.md
  - CHANGELOG.md
  - "drafts/*"

# Rules: by name, code (RC601) or family (canned, voice, tone ...). `replycoach rules` lists them.
select: []
ignore: []
# severity:
#   near-duplicate: warning
#   faceless-signature: info

# The lowest severity that fails the check (exit status 1): error, warning or info.
fail_on: error
"""

PRECOMMIT = """\
# Add to .pre-commit-config.yaml (then: pre-commit install):
repos:
  - repo: {repo}
    rev: v{version}
    hooks:
      - id: replycoach
        # files: ^responses/     # only where your canned responses live
"""


def init(
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing .replycoach.yaml.")] = False,
    directory: Annotated[Path, typer.Option("--dir", help="Repository to set up.", show_default=False,
                                            file_okay=False)] = Path(),
) -> None:
    """Write a commented .replycoach.yaml here and print the pre-commit snippet to add."""
    target = directory / ".replycoach.yaml"
    if not directory.is_dir():
        print(f"replycoach: {directory}: no such directory", file=sys.stderr)
        raise typer.Exit(2)
    if target.exists() and not force:
        print(f"replycoach: {target}: already exists; not overwritten (use --force to replace it)",
              file=sys.stderr)
        raise typer.Exit(2)
    try:
        target.write_text(CONFIG, encoding="utf-8")
    except OSError as exc:
        print(f"replycoach: {target}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    print(f"wrote {target}")
    print()
    print(PRECOMMIT.format(repo=REPOSITORY, version=__version__), end="")
    print()
    print("Then check everything once: replycoach lint .")
