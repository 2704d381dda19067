"""Reading YAML files strictly: YAML 1.2 core schema, duplicate keys refused.

Timestamps are kept as text so that the validators, not the YAML library,
judge dates: an impossible date then becomes an error with its field path
instead of a crash. A null value counts as absent, so nulls are dropped from
mappings before validation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError


class YamlError(ValueError):
    """The text is not YAML (or repeats a key); the message says where."""


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=False)  # the C parser of ruamel.yaml.clib when installed
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    yaml.constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return yaml


def load_yaml(text: str, name: str = "<text>") -> Any:
    try:
        return drop_nulls(_yaml().load(text))
    except YAMLError as exc:
        message = " ".join(str(exc).replace('"<unicode string>"', name).split())
        message = message.split(" To suppress this check")[0]
        raise YamlError(message) from exc


def load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(f"cannot read {path}: {exc}") from exc
    return load_yaml(text, str(path))


def drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value
