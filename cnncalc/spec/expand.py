"""Expansion of spec files: blocks, repeats, conditions and parameters → a flat list of nodes.

Each scope maps local names to full (dotted) names, like torchvision's `layer1.0.conv1`.
Only blocks recurse, and their depth is bounded; long layer lists are walked iteratively.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from cnncalc.errors import GraphError, LimitError, Location, SpecError, ValidationSpecError
from cnncalc.i18n import _, ngettext, number
from cnncalc.layers import Family, Layer, lookup, without_accents
from cnncalc.limits import Limits
from cnncalc.shown import quote
from cnncalc.spec.calls import Group, LayerCall
from cnncalc.spec.expr import referenced_names, resolve_value
from cnncalc.spec.located import LocDict, LocList, location_of
from cnncalc.spec.model import Block, Node
from cnncalc.spec.validate import build_layer, unknown_kind_error

RESERVED = frozenset({"name", "inputs", "repeat", "if", "block", "layers", "kind", "noqa"})
# Entries read and repeats run, per layer the limit allows. A real network makes a layer every step
# or two (an entry, a block call, one turn of a repeat); steps that make none (entries an `if:`
# leaves out, empty groups) are bounded by this, so they cannot cost more than the layers would.
STEPS_PER_LAYER = 4


@dataclass
class Scope:
    """Names visible while expanding one list of entries (mutated only by its Expander)."""

    prefix: str
    names: dict[str, str]
    params: dict[str, object]
    counters: dict[str, int] = field(default_factory=dict)
    pending: dict[str, Location] = field(default_factory=dict)
    declared_inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)  # names whose entry a false `if:` left out

    def full(self, local: str) -> str:
        return f"{self.prefix}{local}"

    def auto_name(self, base: str) -> str:
        if base == "input" and "input" not in self.names:
            return "input"
        self.counters[base] = self.counters.get(base, 0) + 1
        return f"{base}_{self.counters[base]}"


# A block expansion to replay: (suffix, layer, sources, location, noqa) per layer, and its output.
# A source is (True, suffix) for one of the block's own layers or (False, index) for its input.
# Where a replayed layer reads from: (True, suffix) of a layer the block made, (False, index) of a block input.
Source = tuple[bool, str | int]
BlockTemplate = tuple[tuple[tuple[str, Layer, tuple[Source, ...], Location, frozenset[str]], ...], Source | None]


class Expander:
    """Builds nodes from entries. One instance per spec; collects nodes in definition order."""

    def __init__(
        self,
        blocks: Mapping[str, Block],
        limits: Limits,
        file: str | None,
        block_layers: Mapping[str, list[object]] | None = None,
    ) -> None:
        self.blocks = blocks
        self.block_layers = block_layers or {}
        self.limits = limits
        self.file = file
        self.nodes: list[Node] = []
        self.parsed_chains: dict[str, tuple[LayerCall | Group, ...]] = {}  # blocks repeat the same text
        self.defined: dict[str, Location] = {}
        self.block_stack: list[str] = []
        self.noqa: frozenset[str] = frozenset()  # lint codes silenced by the entries being expanded
        self.expanded: dict[tuple, BlockTemplate | None] = {}  # block calls already made, by parameters
        self.runs = 1  # how often the entries being expanded run: the product of the repeats around them
        self.steps = 0  # entries read and repeat turns taken, bounded by STEPS_PER_LAYER × max_layers

    # -- bounds ------------------------------------------------------------------------------
    @contextmanager
    def repeating(self, count: int, where: Location) -> Iterator[None]:
        """Run a repeat's body `count` times, refusing at once when the repeats around it multiply
        past the layer limit (each turn makes at least one layer, or is wasted work)."""
        runs = self.runs * count
        limit = self.limits.max_layers
        if runs > limit:
            raise LimitError(
                _("the repeats around this entry run it {runs} times, more than the limit of {limit} layers").format(
                    runs=number(runs), limit=number(limit)
                ),
                location=where,
                hint=_("lower the repeat counts; the limit is CNNCALC_MAX_LAYERS"),
            )
        outer, self.runs = self.runs, max(runs, 1)
        try:
            yield
        finally:
            self.runs = outer

    def step(self, where: Location) -> None:
        """Count one entry read or one turn of a repeat."""
        self.steps += 1
        if self.steps > STEPS_PER_LAYER * self.limits.max_layers:
            raise LimitError(
                _(
                    "expanding the spec takes more than {steps} steps (entries read and repeats run) "
                    "for at most {layers} layers"
                ).format(steps=number(STEPS_PER_LAYER * self.limits.max_layers), layers=number(self.limits.max_layers)),
                location=where,
                hint=_(
                    "entries left out by 'if:' and empty groups still cost a step each; the limit is CNNCALC_MAX_LAYERS"
                ),
            )

    # -- nodes -------------------------------------------------------------------------------
    def add_call(self, call: LayerCall, scope: Scope, inputs: tuple[str, ...], local: str | None) -> str:
        call, activation = split_activation(call)
        full = self._add_node(call, scope, inputs, local)
        if activation is None:
            return full
        # The layer's name stands for its activated output, as in Keras.
        activated = self._add_node(activation, scope, (full,), f"{local}.act" if local else None)
        if local:
            scope.names[local] = activated
        return activated

    def _add_node(self, call: LayerCall, scope: Scope, inputs: tuple[str, ...], local: str | None) -> str:
        layer = build_layer(call)
        name = local or scope.auto_name(layer.kind)
        full = scope.full(name)
        self.record(full, layer, inputs, call.location, self.noqa)
        scope.names[name] = full
        scope.pending.pop(name, None)
        return full

    def record(self, full: str, layer: Layer, inputs: tuple[str, ...], where: Location, noqa: frozenset[str]) -> None:
        """Append a node, once its name is checked to be new and the layer limit to have room."""
        if full in self.defined:
            first = self.defined[full]
            raise GraphError(
                _("duplicate layer name {name} (first defined at line {line})").format(
                    name=quote(full), line=first.line
                ),
                location=where,
                hint=_("give each layer a unique name; name repeated groups"),
            )
        if len(self.nodes) >= self.limits.max_layers:
            raise LimitError(
                _("the network expands to more than {limit} layers").format(limit=self.limits.max_layers),
                location=where,
                hint=_("the limit is CNNCALC_MAX_LAYERS"),
            )
        self.defined[full] = where
        self.nodes.append(Node(full, layer, inputs, where.in_layer(full), noqa))

    def add_chain_items(self, items: tuple[LayerCall | Group, ...], scope: Scope, prev: str | None) -> str | None:
        """Chain fragments (from chain text or YAML strings) run in sequence; groups repeat.

        How many layers `[…] x N` groups make is counted before any is made, so a 33-byte chain
        of a million layers is refused at once."""
        length = chain_length(items)
        room = self.limits.max_layers - len(self.nodes)
        if length > room or self.runs * length > self.limits.max_layers:
            raise LimitError(
                (
                    _(
                        "the chain expands to {length} layers, run {runs} times by the repeats around it: "
                        "more than the limit of {limit} layers"
                    )
                    if self.runs > 1
                    else _("the chain expands to {length} layers: more than the limit of {limit} layers")
                ).format(length=number(length), runs=number(self.runs), limit=number(self.limits.max_layers)),
                location=items[0].location if items else Location(file=self.file),
                hint=_("lower the repeat counts; the limit is CNNCALC_MAX_LAYERS"),
            )
        stack: list[tuple[tuple[LayerCall | Group, ...], int]] = [(items, 0)]
        while stack:
            seq, index = stack.pop()
            if index >= len(seq):
                continue
            stack.append((seq, index + 1))
            item = seq[index]
            if isinstance(item, Group):
                stack.extend([(item.items, 0)] * item.count)
                continue
            prev = self.add_call(self.resolved(item, scope), scope, _inputs_after(prev, item), None)
        return prev

    def chain_calls(self, text: str, where: Location) -> tuple[LayerCall | Group, ...]:
        """The calls of a chain text in a spec file: `relu`, `CONV(64, 3) → RELU`, `[…] x2`."""
        if text.isascii() and text.isidentifier() and len(text) <= self.limits.max_chain_chars:
            return (LayerCall(text, (), (), Location(file=self.file, line=1, column=1)),)  # a bare layer name
        from cnncalc.spec.chain import parse_chain

        try:
            return parse_chain(text, self.file, self.limits)
        except SpecError as exc:
            column = (where.column or 1) + (exc.location.column or 1) - 1
            inside = Location(file=where.file, line=where.line, column=column)
            inner = _("{message} (in {chain})").format(message=exc.message, chain=quote(text))
            raise type(exc)(inner, location=inside, hint=exc.hint) from None

    def resolved(self, call: LayerCall, scope: Scope) -> LayerCall:
        """Chain fragments inside spec files may use parameters: CONV(c, 3), CONV("c//2", 1)."""
        if not scope.params:
            return call
        positional = tuple(self.resolve(v, scope, call.location) for v in call.positional)
        keywords = tuple((k, self.resolve(v, scope, call.location)) for k, v in call.keywords)
        return LayerCall(call.spelling, positional, keywords, call.location)

    # -- entries -----------------------------------------------------------------------------
    def entries(self, items: list[object], scope: Scope, prev: str | None) -> str | None:
        declared = _declared_names(items)
        scope.pending.update({name: loc for name, (loc, _) in declared.items()})
        scope.declared_inputs.update({name: inputs for name, (_, inputs) in declared.items()})
        for index, item in enumerate(items):
            where = items.where(index) if isinstance(items, LocList) else Location(file=self.file)
            prev = self.entry(item, where, scope, prev)
        return prev

    def entry(self, item: object, where: Location, scope: Scope, prev: str | None) -> str | None:
        self.step(where)
        if isinstance(item, str):
            if item not in self.parsed_chains:
                self.parsed_chains[item] = self.chain_calls(item, where)
            return self.add_chain_items(_relocate(self.parsed_chains[item], where), scope, prev)
        if not isinstance(item, dict) or not item:
            raise ValidationSpecError(
                _("a layer entry must be a name, a chain or a mapping, not {value}").format(value=quote(item)),
                location=where,
                hint=_("e.g. '- relu', '- CONV(64, 3, p=1)' or '- conv: {{filters: 64, kernel: 3}}'").format(),
            )
        where = location_of(item, where)
        if "name" in item and not (isinstance(item["name"], str) and item["name"].strip()):
            raise ValidationSpecError(
                _("a layer name must be text, got {value}").format(value=quote(item["name"])),
                location=_at(item, "name", where),
                hint=_("e.g. name: conv1 (quote names that look like numbers)"),
            )
        if "if" in item and not self.condition(item["if"], scope, _at(item, "if", where)):
            if isinstance(item.get("name"), str):
                scope.excluded.add(item["name"])
            return prev
        outer = self.noqa
        self.noqa = outer | _noqa_codes(item.get("noqa"), _at(item, "noqa", where))
        try:
            return self.kinded_entry(item, scope, prev, where)
        finally:
            self.noqa = outer

    def kinded_entry(self, item: dict, scope: Scope, prev: str | None, where: Location) -> str | None:
        count = self.repeat_count(item, scope, where)
        if "block" in item:
            return self.block_call(item, scope, prev, count, where)
        if "layers" in item:
            return self.group(item, scope, prev, count, where)
        return self.layer_entry(item, scope, prev, count, where)

    def condition(self, value: object, scope: Scope, where: Location) -> bool:
        result = self.resolve(value, scope, where)
        if not isinstance(result, bool | int):
            raise ValidationSpecError(
                _("'if:' needs a boolean, got {value}").format(value=quote(result)),
                location=where,
                hint=_("name a boolean parameter, e.g. if: aux_logits"),
            )
        return bool(result)

    def repeat_count(self, item: dict, scope: Scope, where: Location) -> int:
        if "repeat" not in item:
            return 1
        count = self.resolve(item["repeat"], scope, _at(item, "repeat", where))
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= self.limits.max_repeat:
            raise LimitError(
                _("repeat must be an integer from 0 to {most}, got {value}").format(
                    most=self.limits.max_repeat, value=quote(count)
                ),
                location=_at(item, "repeat", where),
                hint=_("the upper bound is CNNCALC_MAX_REPEAT"),
            )
        return count

    def resolve(self, value: object, scope: Scope, where: Location) -> object:
        return self.resolve_in(value, scope.params, where)

    def resolve_in(self, value: object, names: Mapping[str, object], where: Location) -> object:
        try:
            return resolve_value(value, names, self.limits.max_expression_chars)
        except SpecError as exc:
            raise exc.located(where) from None

    # -- layers ------------------------------------------------------------------------------
    def layer_entry(self, item: dict, scope: Scope, prev: str | None, count: int, where: Location) -> str | None:
        spelling, raw = _kind_and_args(item, where)
        local = item.get("name")
        inputs = self.inputs_of(item, scope, prev, where)  # of the first repetition; the others chain
        with self.repeating(count, where):
            for rep in range(count):
                self.step(where)
                caller = Scope(scope.prefix, scope.names, {**scope.params, "i": rep}) if count > 1 else scope
                positional, keywords = self.call_args(raw, caller, item, spelling, where)
                name = f"{local}.{rep}" if (local and count > 1) else local
                call = LayerCall(spelling, positional, keywords, where)
                prev = self.add_call(call, scope, inputs, name)
                inputs = (prev,)
        return prev

    def call_args(self, raw: object, scope: Scope, item: dict, spelling: str, where: Location) -> tuple[tuple, tuple]:
        if raw is None:
            return (), ()
        if isinstance(raw, dict):
            return (), tuple((str(k), self.resolve(v, scope, _at(raw, k, where))) for k, v in raw.items())
        if isinstance(raw, list):
            return tuple(self.resolve(v, scope, where) for v in raw), ()
        if raw is item:
            args = [(k, self.resolve(v, scope, _at(item, k, where))) for k, v in item.items() if k not in RESERVED]
            return (), tuple(args)
        return (self.resolve(raw, scope, where),), ()

    def inputs_of(self, item: dict, scope: Scope, prev: str | None, where: Location) -> tuple[str, ...]:
        if "inputs" not in item:
            return () if prev is None else (prev,)
        raw = item["inputs"]
        names = [raw] if isinstance(raw, str) else raw
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValidationSpecError(
                _("inputs must be a layer name or a list of names"),
                location=_at(item, "inputs", where),
            )
        return tuple(self.reference(n, scope, item.get("name"), _at(item, "inputs", where)) for n in names)

    def reference(self, name: str, scope: Scope, own: object, where: Location, role: str = "input") -> str:
        if name in scope.names:
            return scope.names[name]
        if name in scope.excluded:
            raise GraphError(
                _("input {name} is left out by its 'if:' condition").format(name=quote(name)),
                location=where,
                hint=_("give this entry the same condition, or read another layer when {name} is absent").format(
                    name=quote(name)
                ),
            )
        if name == own:
            raise GraphError(
                _("layer {name} lists itself as an input (a cycle)").format(name=quote(name)),
                location=where,
                hint=_("a layer can only read layers defined before it"),
            )
        if name in scope.pending:
            later = scope.pending[name]
            cycle = _cycle_through(str(own), name, scope.declared_inputs) if own else None
            if cycle:
                raise GraphError(
                    _("cycle: {path}").format(path=" → ".join(cycle)),
                    location=where,
                    hint=_("a network is acyclic: each layer may only read layers defined before it"),
                )
            raise GraphError(
                _(
                    "input {name} is defined later (line {line}); inputs must name earlier layers, "
                    "so a forward reference would make a cycle"
                ).format(name=quote(name), line=later.line),
                location=where,
                hint=_("move {name} above this layer, or fix the name").format(name=quote(name)),
            )
        close = difflib.get_close_matches(name, list(scope.names), n=1)
        raise GraphError(
            (_("unknown output {name}") if role == "output" else _("unknown input {name}")).format(name=quote(name)),
            location=where,
            hint=_("did you mean {names}?").format(names=quote(close[0]))
            if close
            else (
                _("outputs must name layers defined above")
                if role == "output"
                else _("inputs must name layers defined above")
            ),
        )

    # -- groups and blocks -------------------------------------------------------------------
    def group(self, item: dict, scope: Scope, prev: str | None, count: int, where: Location) -> str | None:
        layers = item["layers"]
        if not isinstance(layers, list):
            raise ValidationSpecError(_("'layers:' of a group must be a list"), location=where)
        extra = set(item) - {"layers", "repeat", "if", "name", "inputs", "noqa"}
        if extra:
            raise ValidationSpecError(
                _("a group takes layers, repeat, if, name and inputs; not {keys}").format(keys=sorted(extra)),
                location=where,
            )
        inputs = self.inputs_of(item, scope, prev, where)
        prev = inputs[0] if inputs else prev
        local = item.get("name")
        repeated = "repeat" in item  # only a repeat sets the index i; a plain group keeps the caller's
        with self.repeating(count, where):
            for rep in range(count):
                self.step(where)
                params = {**scope.params, "i": rep} if repeated else scope.params
                if local:
                    prefix = f"{scope.full(str(local))}.{rep}." if count > 1 else f"{scope.full(str(local))}."
                    prev = self.entries(layers, Scope(prefix, {}, dict(params)), prev)
                else:  # an unnamed group shares the caller's names; only its parameters are its own
                    shared = replace(scope, params=params)
                    prev = self.entries(layers, shared, prev)
        if local and prev is not None:
            scope.names[str(local)] = prev
            scope.pending.pop(str(local), None)
        return prev

    def block_call(self, item: dict, scope: Scope, prev: str | None, count: int, where: Location) -> str | None:
        block_name = item["block"]
        block = self.blocks.get(block_name) if isinstance(block_name, str) else None
        if block is None:
            close = difflib.get_close_matches(str(block_name), list(self.blocks), n=1)
            raise ValidationSpecError(
                _("unknown block {name}").format(name=quote(block_name)),
                location=where,
                hint=_("did you mean {names}?").format(names=quote(close[0]))
                if close
                else _("define it under 'blocks:'"),
            )
        if len(self.block_stack) >= self.limits.max_block_depth:
            recursive = block_name in self.block_stack
            raise LimitError(
                (
                    _("block {name} calls itself more than {levels} levels deep")
                    if recursive
                    else _("blocks nested deeper than {levels} levels")
                ).format(name=quote(block_name), levels=self.limits.max_block_depth),
                location=where,
                hint=_("a recursive block needs a condition that ends it, e.g. if: 'depth > 1'")
                if recursive
                else _("flatten the nesting; the limit is CNNCALC_MAX_BLOCK_DEPTH"),
            )
        inputs = list(self.inputs_of(item, scope, prev, where))
        if len(inputs) != len(block.inputs):
            raise GraphError(
                ngettext(
                    "block {name} takes {count} input ({names}) but gets {given}",
                    "block {name} takes {count} inputs ({names}) but gets {given}",
                    len(block.inputs),
                ).format(
                    name=quote(block_name), count=len(block.inputs), names=", ".join(block.inputs), given=len(inputs)
                ),
                location=where,
            )
        local = str(item.get("name") or scope.auto_name(block_name))
        self.block_stack.append(block_name)
        with self.repeating(count, where):
            for rep in range(count):
                self.step(where)
                prefix = scope.full(local) + (f".{rep}." if count > 1 else ".")
                inputs[0] = self.block_turn(block_name, block, item, scope, (rep, prefix), inputs, where)  # type: ignore[assignment]
        self.block_stack.pop()
        scope.names[local] = inputs[0]
        scope.pending.pop(local, None)
        return inputs[0]

    def block_turn(
        self,
        block_name: str,
        block: Block,
        item: dict,
        scope: Scope,
        turn: tuple[int, str],
        inputs: list[str],
        where: Location,
    ) -> str | None:
        """One turn (index and name prefix) of a block call: replayed when the same parameters
        were expanded before."""
        rep, prefix = turn
        caller = Scope(scope.prefix, scope.names, {**scope.params, "i": rep})
        params = {**self.bind_block_params(block_name, block, item, caller, where), "i": rep}
        key = (block_name, len(inputs), self.noqa, *sorted((k, repr(v)) for k, v in params.items()))
        template = self.expanded.get(key)
        if template is not None:
            return self.replay(template, prefix, inputs)
        first = len(self.nodes)
        inner = Scope(prefix, dict(zip(block.inputs, inputs, strict=True)), params)
        out = self.entries(self.block_layers.get(block_name, block.layers), inner, inputs[0])
        if block.output:
            out = self.reference(block.output, inner, None, where)
        if key not in self.expanded:  # None: a call that cannot be replayed, worked out once
            self.expanded[key] = self.template(first, prefix, tuple(inputs), out)
        return out

    def template(self, first: int, prefix: str, inputs: tuple[str, ...], out: str | None) -> BlockTemplate | None:
        """What one expansion of a block made, relative to its prefix and inputs, to replay it.

        A block's layers depend only on its parameters (the key of the template) and see only
        its inputs and its own layers, so a second call with the same parameters makes the same
        layers under another prefix. Anything outside that (never seen) is not replayed.
        """
        if len(set(inputs)) != len(inputs):  # one node given twice: its index would not say which
            return None
        made = {node.name for node in self.nodes[first:]}

        def where_from(name: str) -> Source | None:
            if name in made:
                return True, name[len(prefix) :]
            return (False, inputs.index(name)) if name in inputs else None

        layers = []
        for node in self.nodes[first:]:
            sources = [source for name in node.inputs if (source := where_from(name)) is not None]
            if not node.name.startswith(prefix) or len(sources) != len(node.inputs):
                return None
            layers.append((node.name[len(prefix) :], node.layer, tuple(sources), self.defined[node.name], node.noqa))
        result = where_from(out) if out is not None else None
        return None if out is not None and result is None else (tuple(layers), result)

    def replay(self, template: BlockTemplate, prefix: str, inputs: list[str]) -> str | None:
        layers, result = template

        def name_of(source: Source) -> str:
            value = source[1]  # a suffix (str) exactly when the flag says the block made the layer
            return f"{prefix}{value}" if isinstance(value, str) else inputs[value]

        for suffix, layer, sources, location, noqa in layers:
            self.record(f"{prefix}{suffix}", layer, tuple(name_of(s) for s in sources), location, noqa)
        return None if result is None else name_of(result)

    def bind_block_params(
        self, block_name: str, block: Block, item: dict, scope: Scope, where: Location
    ) -> dict[str, object]:
        args = {k: self.resolve(v, scope, _at(item, k, where)) for k, v in item.items() if k not in RESERVED}
        unknown = set(args) - set(block.params)
        if unknown:
            name = sorted(unknown)[0]
            close = difflib.get_close_matches(name, list(block.params), n=1)
            raise ValidationSpecError(
                _("block {block} has no parameter {name}").format(block=quote(block_name), name=quote(name)),
                location=_at(item, name, where),
                hint=_("did you mean {names}?").format(names=quote(close[0]))
                if close
                else _("it takes {names}").format(names=", ".join(block.params) or _("none")),
            )
        bound = {**dict(block.params.items()), **args}
        missing = [k for k, v in bound.items() if v is None]
        if missing:
            raise ValidationSpecError(
                ngettext(
                    "block {block} needs parameter {names}", "block {block} needs parameters {names}", len(missing)
                ).format(block=quote(block_name), names=", ".join(missing)),
                location=where,
                hint=_("pass them in the block call"),
            )
        return {**scope.params, **self.block_defaults(block_name, block, args, scope, where)}

    def block_defaults(
        self, block_name: str, block: Block, args: Mapping[str, object], scope: Scope, where: Location
    ) -> dict[str, object]:
        """Every parameter of a block call: the given ones, and the defaults in the order `params:`
        declares them, each over the caller's names and the parameters before it (`mid: out // 4`).
        Only earlier ones: that keeps the order of evaluation plain and a cycle impossible."""
        order = list(block.params)
        # the block's own names shadow the caller's, so a default that names a later parameter is an
        # error rather than the caller's value of the same name
        known = {k: v for k, v in scope.params.items() if k not in block.params}
        for index, (key, default) in enumerate(block.params.items()):
            if key not in args:
                at = _at(block.params, key, where)
                later = sorted(referenced_names(default, self.limits.max_expression_chars) & set(order[index:]))
                if later:
                    raise _default_reads_later(block_name, key, later[0], order[:index], at)
            known[key] = args[key] if key in args else self.resolve_in(default, known, _at(block.params, key, where))
        return known


def _default_reads_later(block: str, key: str, later: str, earlier: list[str], at: Location) -> ValidationSpecError:
    """A block parameter's default names a parameter declared after it (or itself): say which, and the order."""
    names = {
        "block": quote(block),
        "key": quote(key),
        "later": quote(later),
        "earlier": ", ".join(earlier) or _("none"),
    }
    hint = _("a default may use the block's earlier parameters ({earlier}) and the spec's")
    if later != key:
        hint += _("; declare {later} before {key} in params:")
    return ValidationSpecError(
        _("block {block}: the default of {key} refers to {later}, which is not declared before it").format(**names),
        location=at,
        hint=hint.format(**names),
    )


def chain_length(items: tuple[LayerCall | Group, ...]) -> int:
    """How many layer calls a chain makes once its `[…] x N` groups are repeated (before activations
    written as arguments add theirs: at most twice this)."""
    total = 0
    stack: list[tuple[LayerCall | Group, int]] = [(item, 1) for item in items]
    while stack:
        item, times = stack.pop()
        if isinstance(item, Group):
            stack.extend((inner, times * item.count) for inner in item.items)
        else:
            total += times
    return total


def _noqa_codes(value: object, where: Location) -> frozenset[str]:
    if value is None:
        return frozenset()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ValidationSpecError(_("noqa takes a lint code or a list of codes, e.g. noqa: [S001]"), location=where)
    return frozenset(code.strip().upper() for item in items for code in item.split(",") if code.strip())


def _is_activation_key(key: str) -> bool:
    return without_accents(key).lower() in ("activation", "activacion")  # the notes' activación too


def _names_activation(value: object) -> bool:
    found = isinstance(value, str) and lookup(value)
    return bool(found) and found[0].family is Family.ACTIVATION and not found[0].arguments  # type: ignore[index]


def _activation_by_position(call: LayerCall) -> LayerCall:
    """The notes' `CONV(Tanh)` and `FC(120, RELU)`: a parameterless activation's name among the
    positional arguments means activation= (no layer takes an activation's name as a size)."""
    named = [value for value in call.positional if _names_activation(value)]
    if not named:
        return call
    if len(named) > 1 or any(_is_activation_key(key) for key, _ in call.keywords):
        raise ValidationSpecError(_("{layer} is given two activations").format(layer=call.spelling),
                                  location=call.location,
                                  hint=_("one activation per layer; write another as the next layer"))  # fmt: skip
    positional = tuple(value for value in call.positional if not _names_activation(value))
    return LayerCall(call.spelling, positional, (*call.keywords, ("activation", named[0])), call.location)


def split_activation(call: LayerCall) -> tuple[LayerCall, LayerCall | None]:
    """Keras-style `activation=relu` on a layer (or its name among the positional arguments, as the
    course notes write CONV(Tanh)) becomes a separate activation layer after it."""
    call = _activation_by_position(call)
    key = next((key for key, _ in call.keywords if _is_activation_key(key)), None)
    if key is None:
        return call, None
    found = lookup(call.spelling)
    keywords = dict(call.keywords)
    if found and "activation" in found[0].arguments:
        return call, None
    name = keywords.pop(key)
    rest = LayerCall(call.spelling, call.positional, tuple(keywords.items()), call.location)
    if name is None or (isinstance(name, str) and name.lower() in ("linear", "none")):
        return rest, None
    if not isinstance(name, str):
        raise ValidationSpecError(
            _("activation must be a name like relu, got {value}").format(value=quote(name)), location=call.location
        )
    return rest, LayerCall(name, (), (), call.location)


def _at(mapping: object, key: str, fallback: Location) -> Location:
    return mapping.where(key) if isinstance(mapping, LocDict) else fallback


def _inputs_after(prev: str | None, call: LayerCall) -> tuple[str, ...]:
    found = lookup(call.spelling)
    if found is not None and found[0].max_inputs == 0:
        return ()
    return () if prev is None else (prev,)


def _relocate(items: tuple[LayerCall | Group, ...], where: Location) -> tuple[LayerCall | Group, ...]:
    """Chain fragments inside YAML report the YAML line, keeping the column within the string."""
    out: list[LayerCall | Group] = []
    for item in items:
        if isinstance(item, Group):
            out.append(Group(_relocate(item.items, where), item.count, where))
        else:
            loc = Location(file=where.file, line=where.line, column=where.column)
            out.append(LayerCall(item.spelling, item.positional, item.keywords, loc))
    return tuple(out)


def _declared_names(items: list[object]) -> dict[str, tuple[Location, tuple[str, ...]]]:
    """Names declared in a list of entries, with where and what inputs they declare."""
    declared: dict[str, tuple[Location, tuple[str, ...]]] = {}
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            loc = items.where(index) if isinstance(items, LocList) else Location()
            raw = item.get("inputs", ())
            inputs = (
                (raw,)
                if isinstance(raw, str)
                else tuple(i for i in raw if isinstance(i, str))
                if isinstance(raw, list)
                else ()
            )
            declared.setdefault(item["name"], (loc, inputs))
    return declared


def _cycle_through(start: str, first: str, inputs: Mapping[str, tuple[str, ...]]) -> list[str] | None:
    """A path start → first → … → start following declared inputs (reads), if there is one."""
    paths = [[start, first]]
    seen = {first}
    while paths:
        path = paths.pop()
        for nxt in inputs.get(path[-1], ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                paths.append([*path, nxt])
    return None


def _kind_and_args(item: dict, where: Location) -> tuple[str, object]:
    """`{conv: {...}}`, `{conv: [64, 3]}`, `{max_pool: 2}`, `{relu: null}` or `{kind: conv, ...}`."""
    if "kind" in item:
        kind = item["kind"]
        if not isinstance(kind, str):
            raise ValidationSpecError(
                _("kind must be a layer name, got {value}").format(value=quote(kind)), location=where
            )
        return kind, item
    keys = [k for k in item if k not in RESERVED]
    if len(keys) != 1:
        candidates = [k for k in keys if lookup(k) is not None]
        if len(candidates) == 1:
            others = [k for k in keys if k != candidates[0]]
            raise ValidationSpecError(
                ngettext(
                    "unexpected key {keys} beside layer {layer}",
                    "unexpected keys {keys} beside layer {layer}",
                    len(others),
                ).format(keys=others, layer=quote(candidates[0])),
                location=where,
                hint=_("put arguments inside: {layer}: {{...}}; entries take name, inputs, repeat, if").format(
                    layer=candidates[0]
                ),
            )
        if not keys:
            raise ValidationSpecError(
                _("the entry names no layer"),
                location=where,
                hint=_("e.g. '- conv: {{filters: 64, kernel: 3}}'").format(),
            )
        raise ValidationSpecError(
            _("an entry holds one layer, but this one has keys {keys}").format(keys=keys),
            location=where,
            hint=_("write one layer per list item"),
        )
    spelling = keys[0]
    if lookup(spelling) is None:
        raise unknown_kind_error(spelling, _at(item, spelling, where))
    return spelling, item[spelling]
