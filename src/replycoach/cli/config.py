"""`replycoach config schema`: the JSON Schema of `.replycoach.yaml` and of playbook files.

Editors complete and check YAML against a schema (the YAML language server reads a
`# yaml-language-server: $schema=...` comment, VS Code a `yaml.schemas` setting); the
schema comes from the same pydantic models that validate the files, so it cannot drift.
"""

import json
import sys
from enum import Enum
from typing import Annotated

import typer

config_app = typer.Typer(help="What replycoach reads as configuration.", no_args_is_help=True)


class SchemaOf(str, Enum):
    config = "config"
    playbook = "playbook"


@config_app.command("schema")
def schema(
    of: Annotated[SchemaOf, typer.Argument(help="config (.replycoach.yaml, [tool.replycoach]) or playbook "
                                           "(a playbook file).")] = SchemaOf.config,
) -> None:
    """Print the JSON Schema of the config file or of a playbook file, for editor completion."""
    if of is SchemaOf.config:
        from replycoach.lint.config import _schema

        model, title = _schema(), "replycoach config (.replycoach.yaml)"
    else:
        from replycoach.playbook.schema import PlaybookFile

        model, title = PlaybookFile, "replycoach playbook file"
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
    document["title"] = title
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
