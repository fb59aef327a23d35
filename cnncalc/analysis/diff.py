"""What changed between two versions of a network: per layer and in total, with CI thresholds.

Both sides are summary documents (`cnncalc summary --format json`), so a spec can be compared
with a baseline saved earlier as well as with another spec. Layers are matched by name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, cast

from cnncalc.display import Displayed
from cnncalc.errors import ValidationSpecError
from cnncalc.i18n import N_, _, number
from cnncalc.shown import quote

TOTALS = (("params", N_("parameters")), ("macs", N_("MACs")), ("activation_bytes", N_("activation memory (bytes)")))
_THRESHOLD = re.compile(r"^\s*(params|macs|activations)\s*\+\s*(\d+(?:\.\d+)?)\s*(%|[kMGT]?)\s*$")
_KEYS = {"params": "params", "macs": "macs", "activations": "activation_bytes"}
_SCALE = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


class LayerEntry(TypedDict):
    """What a diff reads of one layer of a summary document."""

    name: str
    output_shape: list[int]
    params: int
    macs: int


class SummaryDocument(TypedDict, total=False):
    """What a diff reads of a `cnncalc.summary/1` document (`layout` and `dtype` have defaults)."""

    totals: dict[str, int]
    layers: list[LayerEntry]
    layout: str
    dtype: str


def _as_summary(document: Mapping[str, object]) -> SummaryDocument:
    # JSON is typed only by checking it: a document comes from Summary.to_dict or from
    # read_summary_document, which checks every field read here, so the cast states no more.
    return cast(SummaryDocument, document)


@dataclass(frozen=True)
class LayerChange:
    name: str
    change: str  # "added", "removed" or "changed"
    old_shape: tuple[int, ...] | None
    new_shape: tuple[int, ...] | None
    old_params: int
    new_params: int
    old_macs: int
    new_macs: int

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "change": self.change,
            "old_shape": None if self.old_shape is None else list(self.old_shape),
            "new_shape": None if self.new_shape is None else list(self.new_shape),
            "params": [self.old_params, self.new_params],
            "macs": [self.old_macs, self.new_macs],
        }


@dataclass(frozen=True)
class TotalChange:
    key: str
    label: str
    old: int
    new: int

    @property
    def ratio(self) -> float | None:
        return self.new / self.old if self.old else None

    def to_dict(self) -> dict[str, object]:
        return {"quantity": self.key, "old": self.old, "new": self.new, "difference": self.new - self.old}


@dataclass(frozen=True)
class Threshold:
    """`params+10%` or `macs+1G`: the largest increase allowed."""

    key: str
    amount: float
    relative: bool
    text: str

    def exceeded(self, total: TotalChange) -> bool:
        growth = total.new - total.old
        if self.relative:
            return growth > total.old * self.amount / 100
        return growth > self.amount


@dataclass(frozen=True)
class Diff(Displayed):
    old_name: str
    new_name: str
    totals: tuple[TotalChange, ...]
    layers: tuple[LayerChange, ...]
    failed: tuple[str, ...]  # the thresholds exceeded, with the numbers

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "cnncalc.diff/1",
            "old": self.old_name,
            "new": self.new_name,
            "totals": [t.to_dict() for t in self.totals],
            "layers": [c.to_dict() for c in self.layers],
            "failed": list(self.failed),
        }


def parse_thresholds(text: str) -> tuple[Threshold, ...]:
    """'params+10%,macs+5%' → thresholds; an absolute amount takes k/M/G/T (macs+1G)."""
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _THRESHOLD.match(part)
        if match is None:
            raise ValidationSpecError(
                _("--fail-on {part!r} is not QUANTITY+AMOUNT").format(part=part),
                hint=_("e.g. {example} or {other} (quantities: {names})").format(
                    example="params+10%,macs+5%", other="activations+50M", names="params, macs, activations"
                ),
            )
        key, amount, unit = match.groups()
        relative = unit == "%"
        found.append(Threshold(_KEYS[key], float(amount) * (1 if relative else _SCALE[unit]), relative, part))
    return tuple(found)


def diff(
    old: Mapping[str, object],
    new: Mapping[str, object],
    old_name: str,
    new_name: str,
    fail_on: tuple[Threshold, ...] = (),
) -> Diff:
    """Compare two summary documents (the `cnncalc.summary/1` JSON) saved with the same --dtype.

    Shapes are compared channels-last whatever layout each side was saved in.
    """
    dtypes = {str(side.get("dtype", "float32")) for side in (old, new)}
    if len(dtypes) > 1:
        raise ValidationSpecError(
            _("{old} and {new} count activation memory in different dtypes ({dtypes})").format(
                old=old_name, new=new_name, dtypes=(" " + _("and") + " ").join(sorted(dtypes))
            ),
            hint=_("save both summaries with the same --dtype"),
        )
    old_totals, new_totals = _as_summary(old)["totals"], _as_summary(new)["totals"]
    totals = tuple(TotalChange(key, label, old_totals[key], new_totals[key]) for key, label in TOTALS)
    failed = tuple(
        f"{threshold.text}: {_(total.label)} {number(total.old)} → {number(total.new)}"
        for threshold in fail_on
        for total in totals
        if total.key == threshold.key and threshold.exceeded(total)
    )
    return Diff(old_name, new_name, totals, _layer_changes(old, new), failed)


def _layer_changes(old: Mapping[str, object], new: Mapping[str, object]) -> tuple[LayerChange, ...]:
    before = {layer["name"]: _channels_last(layer, _as_summary(old)) for layer in _as_summary(old)["layers"]}
    after = {layer["name"]: _channels_last(layer, _as_summary(new)) for layer in _as_summary(new)["layers"]}
    changes = []
    for name, layer in after.items():
        previous = before.get(name)
        if previous is None:
            changes.append(_change(name, "added", None, layer))
        elif (previous["output_shape"], previous["params"], previous["macs"]) != (
            layer["output_shape"],
            layer["params"],
            layer["macs"],
        ):
            changes.append(_change(name, "changed", previous, layer))
    changes += [_change(name, "removed", layer, None) for name, layer in before.items() if name not in after]
    return tuple(changes)


def _channels_last(layer: LayerEntry, document: SummaryDocument) -> LayerEntry:
    shape = layer["output_shape"]
    if document.get("layout") != "chw" or len(shape) < 2:
        return layer
    return {**layer, "output_shape": [*shape[1:], shape[0]]}


def _change(name: str, kind: str, old: LayerEntry | None, new: LayerEntry | None) -> LayerChange:
    def get(layer: LayerEntry | None, key: Literal["params", "macs"]) -> int:
        return 0 if layer is None else int(layer[key])

    def shape(layer: LayerEntry | None) -> tuple[int, ...] | None:
        return None if layer is None else tuple(layer["output_shape"])

    return LayerChange(
        name, kind, shape(old), shape(new), get(old, "params"), get(new, "params"), get(old, "macs"), get(new, "macs")
    )


def read_summary_document(data: object, where: str) -> Mapping[str, object]:
    """A saved `--format json` summary (or report) as one side of a diff, checked field by field."""
    if isinstance(data, Mapping) and data.get("schema") == "cnncalc.report/1":
        data = data.get("summary")
    if not isinstance(data, Mapping) or data.get("schema") != "cnncalc.summary/1":
        raise ValidationSpecError(
            _("{file} is not a cnncalc summary").format(file=where),
            hint=_("save a baseline with {command}").format(
                command="`cnncalc summary SPEC --format json > baseline.json`"
            ),
        )
    totals = _field(data, "totals", Mapping, where)
    for key, _label in TOTALS:
        _field(totals, key, int, where, "totals.")
    layers = _field(data, "layers", list, where)
    for index, layer in enumerate(layers):
        if not isinstance(layer, Mapping):
            raise _broken(where, _("{field} is not an object").format(field=f"layers[{index}]"))
        _field(layer, "name", str, where, f"layers[{index}].")
        for key in ("params", "macs"):
            _field(layer, key, int, where, f"layers[{index}].")
        shape = _field(layer, "output_shape", list, where, f"layers[{index}].")
        if not all(isinstance(n, int) and not isinstance(n, bool) and 0 < n <= MAX_COUNT for n in shape):
            raise _broken(
                where, _("{field} must be a list of positive integers").format(field=f"layers[{index}].output_shape")
            )
    if data.get("layout", "hwc") not in ("hwc", "chw"):
        raise _broken(where, _("layout must be 'hwc' or 'chw', not {value}").format(value=quote(data.get("layout"))))
    if not isinstance(data.get("dtype", "float32"), str):
        raise _broken(
            where, _("dtype must be a name such as 'float32', not {value}").format(value=quote(data.get("dtype")))
        )
    return data


MAX_COUNT = 2**63  # parameters, MACs and sizes a saved summary may hold


def _field(data: Mapping[str, object], key: str, kind: type, where: str, path: str = "") -> Any:
    value = data.get(key)
    if value is None:
        raise _broken(where, _("'{field}' is missing").format(field=path + key))
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        name = {Mapping: N_("an object"), list: N_("a list"), int: N_("an integer"), str: N_("a string")}[kind]
        message = _("'{field}' must be {kind}, not {value}").format(field=path + key, kind=_(name), value=quote(value))
        raise _broken(where, message)
    # No network counts past 2^63; 10^400 is an edit.
    if isinstance(value, int) and kind is int and not 0 <= value <= MAX_COUNT:
        raise _broken(
            where,
            _("'{field}' must be a count from 0 to 2^63, not {value}").format(field=path + key, value=quote(value)),
        )
    return value


def _broken(where: str, problem: str) -> ValidationSpecError:
    return ValidationSpecError(
        _("{file} is not a complete cnncalc summary: {problem}").format(file=where, problem=problem),
        hint=_("save the baseline again with {command} and do not edit it").format(
            command="`cnncalc summary SPEC --format json > baseline.json`"
        ),
    )
