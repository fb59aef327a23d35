"""JSON and YAML text for machines and files: non-ASCII stays readable, but nothing a terminal or
a CI log would act on is written raw. Every writer of JSON or YAML goes through these two
functions (the renderers through render/escape.py, `convert` through spec/write.py)."""

from __future__ import annotations

import re

# What a terminal or GitHub's log acts on and JSON/YAML would still carry raw: C1 controls, bidi
# controls, lone surrogates and `##[` (GitHub's older workflow-command syntax). They can only stand
# inside strings, where an escape is the same text.
_ACTIVE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_JSON_RAW = re.compile(f"[{_ACTIVE}]|(?<=##)\\[")
# A YAML string that holds any of these, a line break, a C0 control or `::` is written double-quoted,
# where each becomes an escape and nothing can start a line of its own.
_YAML_QUOTED = re.compile(f"[\x00-\x1f{_ACTIVE}]|##\\[|::")
_YAML_RAW = re.compile(f"[{_ACTIVE}]|(?<=##)\\[")


def json_text(data: object, indent: int | None = 2) -> str:
    """A JSON document: readable non-ASCII, but every character a terminal would act on as `\\uXXXX`."""
    import json

    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def yaml_text(data: object) -> str:
    """A YAML document (block style, flow style for leaf collections), with the same guarantee."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text_scalar(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = '"' if _YAML_QUOTED.search(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text_scalar)
    # No folding: a folded double-quoted line could begin with `::`.
    text = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=2**30, default_flow_style=None)
    return _YAML_RAW.sub(lambda match: f"\\u{ord(match.group()):04X}", text)  # only in double quotes, as above
