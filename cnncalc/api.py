"""The public Python API: `load()` a spec into a `Network` and ask it questions.

>>> net = load("INPUT(32x32x3) → CONV(10, k=5, s=1, p=2) → RELU → POOL(2) → FC(10)")
>>> net.shape("conv_1"), net.summary().layers[1].params
((32, 32, 10), 760)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, overload

from cnncalc.analysis.summary import DTYPE_BYTES, Summary, summarize
from cnncalc.api_arguments import checked

if TYPE_CHECKING:
    from numpy.typing import ArrayLike
    from torch.nn import Module

    from cnncalc.analysis.check import Marking
    from cnncalc.analysis.conventions import ConventionTotal
    from cnncalc.analysis.diff import Diff
    from cnncalc.analysis.explain import Explanation
    from cnncalc.analysis.grading import Gradebook, Key, Row
    from cnncalc.analysis.lint.model import Findings
    from cnncalc.analysis.memory import TrainingMemory
    from cnncalc.analysis.receptive_field import FieldRecord, ReceptiveFields, UnitWindow
    from cnncalc.analysis.scale import Scaling
    from cnncalc.analysis.symbolic import SymbolicSummary
    from cnncalc.executor.run import RunResult
    from cnncalc.render.report import Report
from cnncalc.errors import Location, SpecError, ValidationSpecError, unknown_layer
from cnncalc.graph import Graph, build_graph
from cnncalc.i18n import _
from cnncalc.layers import Shape
from cnncalc.limits import DEFAULT_LIMITS, Limits
from cnncalc.spec import Spec, load_spec

# A progress callback: (done, total, what), what being the layer or rule just reached.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Network:
    """A validated network with every shape computed. Analyses are methods returning records.

    Analyses are computed once per Network and shared (lint reuses the summary and the fields).
    """

    graph: Graph

    @cached_property
    def _fields(self) -> ReceptiveFields:
        from cnncalc.analysis.receptive_field import receptive_fields

        return receptive_fields(self.graph)

    @cached_property
    def _summary(self) -> Summary:
        return summarize(self.graph, "float32")

    def _counted(self, progress: Progress | None) -> Summary:
        """The float32 summary, computed now (reporting each layer to `progress`) unless it is already."""
        if progress is not None and "_summary" not in self.__dict__:
            self.__dict__["_summary"] = summarize(self.graph, "float32", progress)  # what cached_property stores
        return self._summary

    def _fielded(self, progress: Progress | None) -> ReceptiveFields:
        """The receptive fields, computed now (reporting each layer to `progress`) unless they are already."""
        if progress is not None and "_fields" not in self.__dict__:
            from cnncalc.analysis.receptive_field import receptive_fields

            self.__dict__["_fields"] = receptive_fields(self.graph, progress)
        return self._fields

    @property
    def spec(self) -> Spec:
        return self.graph.spec

    @property
    def name(self) -> str | None:
        return self.spec.name

    @property
    def layer_names(self) -> tuple[str, ...]:
        return tuple(node.name for node in self.graph.nodes)

    @checked
    def shape(self, layer: str) -> Shape:
        """Output shape of one layer, channels last.

        >>> load("INPUT(7x7x1) → CONV(1, k=3, s=2)").shape("conv_1")
        (3, 3, 1)
        """
        try:
            return self.graph.shapes[layer]
        except KeyError:
            raise unknown_layer(layer, self.graph.shapes) from None

    @checked
    def summary(self, dtype: str = "float32", progress: Progress | None = None) -> Summary:
        """Per-layer shapes, parameters and MACs with totals; `progress(done, total, layer)` hears of each layer.

        >>> load("vgg16").summary().totals.params
        138357544
        """
        if dtype not in DTYPE_BYTES:
            raise ValidationSpecError(f"unknown dtype {dtype!r}", hint=f"choose one of {', '.join(DTYPE_BYTES)}")
        if dtype == "float32":
            return self._counted(progress)
        return summarize(self.graph, dtype, progress)

    @checked
    def explain(self, layer: str | None = None) -> Explanation:
        """The working of every layer (or one): shape, parameter, MAC and receptive-field formulas.

        >>> load("INPUT(32x32x3) → CONV(10, k=5, s=1, p=2)").explain("conv_1").layers[0].params
        'params = Ci·Co·K² + Co = 3·10·5² + 10 = 760'
        """
        from dataclasses import replace

        from cnncalc.analysis.explain import explain

        result = explain(self.graph)
        if layer is None:
            return result
        self.shape(layer)  # a clear error for an unknown name
        return replace(result, layers=tuple(w for w in result.layers if w.name == layer))

    @overload
    def receptive_field(self, layer: None = None) -> ReceptiveFields: ...
    @overload
    def receptive_field(self, layer: str) -> FieldRecord: ...
    @checked
    def receptive_field(self, layer: str | None = None) -> ReceptiveFields | FieldRecord:
        """Receptive field (size, jump, start, effective padding) per layer and axis.

        >>> rf = load("INPUT(32x32x3) → CONV(8, 3) → CONV(8, 3)").receptive_field("conv_2")
        >>> rf.axes[0].size, rf.axes[0].jump
        (5, 1)
        """
        fields = self._fields
        return fields if layer is None else fields.layer(layer)

    @checked
    def lint(
        self,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        budgets: Mapping[str, object] | None = None,
        progress: Progress | None = None,
    ) -> Findings:
        """Lint findings (codes, messages, hints, locations), honouring the spec's own settings.

        `budgets` takes the CI limits by their option names (max-params, max-macs,
        max-activations, min-rf, max-depth; quantities like "5M" or "100MB"). `progress(done,
        total, name)` hears of each layer counted and each rule run.

        >>> [f.code for f in load("INPUT(7x7x1) → CONV(1, k=3, s=3)").lint(select=["S"])]
        ['S001']
        >>> [f.message for f in load("vgg16").lint(select=["B"], budgets={"max-depth": 13})]
        ['depth 16 (weighted layers on the longest path), over the budget of 13']
        """
        from cnncalc.analysis.lint import LintConfig, lint_graph
        from cnncalc.analysis.lint.model import Findings

        settings = {"select": list(select or []), "ignore": list(ignore or []), **(budgets or {})}
        config = LintConfig.from_mapping(settings, "lint")
        if self.spec.lint:
            config = LintConfig.from_mapping(self.spec.lint, "spec lint").override(config)
        summary, fields = self._counted(progress), self._fielded(progress)
        return Findings(lint_graph(self.graph, config, summary, fields, progress))

    @checked
    def run(
        self,
        *,
        batch: int = 1,
        seed: int = 0,
        data: ArrayLike | None = None,
        weights: Mapping[str, Mapping[str, ArrayLike]] | None = None,
        keep: bool = False,
        memory_limit: int | None = None,
        progress: Progress | None = None,
    ) -> RunResult:
        """Execute the network with NumPy (imported only now) and check every layer.

        >>> load("INPUT(8x8x3) → CONV(4, 3) → RELU → FC(2)").run().ok
        True
        """
        from cnncalc.errors import LimitError
        from cnncalc.executor.run import run_graph

        try:
            return run_graph(
                self.graph,
                batch=batch,
                seed=seed,
                input=data,
                weights=weights,
                keep=keep,
                memory_limit=memory_limit,
                progress=progress,
            )
        except MemoryError:  # reachable without a memory_limit (the API's default, the CLI's --force)
            raise LimitError(
                f"the run ran out of memory (batch {batch})",
                hint="use a smaller batch or input size; `cnncalc run` without --force, and "
                "run(memory_limit=...) in Python, refuse such a run before it starts",
            ) from None

    def to_yaml(self) -> str:
        """The spec as YAML, blocks expanded (loading it gives the same network)."""
        from cnncalc.spec.write import to_yaml

        return to_yaml(self.spec)

    @checked
    def memory(
        self, batch: int = 1, dtype: str = "float32", optimizer: str = "sgd", amp: bool = False
    ) -> TrainingMemory:
        """Training memory of one step: weights, gradients, optimizer state, activations kept for backward.

        >>> load("INPUT(8x8x3) → CONV(4, 3) → RELU").memory(batch=2).saved_activations  # (192 + 144)·4·2
        2688
        """
        from cnncalc.analysis.memory import training_memory

        return training_memory(self.graph, batch, dtype, optimizer, amp)

    @checked
    def count(self, convention: str = "torchvision", batch: int = 1) -> ConventionTotal:
        """The MACs/FLOPs total as another tool reports it (fvcore, thop, ptflops, torchinfo, keras).

        `batch` is the batch the tool is given: fvcore, thop and torchinfo count all of it, the
        others report one input.

        >>> load("INPUT(8x8x4) → DECONV(6, 2, s=2)").count("thop").total  # thop: per output value
        24576
        >>> load("INPUT(8x8x4) → DECONV(6, 2, s=2)").count("thop", batch=2).total
        49152
        """
        from cnncalc.analysis.conventions import count

        return count(self.graph, convention, self._summary, batch)

    @checked
    def symbolic(self, names: tuple[str, ...] | None = None) -> SymbolicSummary:
        """Output shapes and MACs as expressions in the input size (H, W), exact with floors.

        >>> net = load("INPUT(32x32x3) → CONV(8, 3) → POOL(2)")
        >>> [str(size) for size in net.symbolic().layers[-1].shape]
        ['⌊(H − 4)/2⌋ + 1', '⌊(W − 4)/2⌋ + 1', '8']
        >>> str(net.symbolic().macs)
        '216·H·W − 432·H − 432·W + 864'
        """
        from cnncalc.analysis.symbolic import symbolic

        return symbolic(self.graph, names)

    @checked
    def scale(self, sizes: Sequence[int]) -> Scaling:
        """The network at several input sizes: parameters, MACs, memory, output, clean or not.

        >>> [row.params for row in load("lenet5").scale([32, 28]).rows]  # 28: the first dense layer shrinks
        [61706, 44426]
        """
        from cnncalc.analysis.scale import scale

        return scale(self.spec, tuple(sizes))

    @checked
    def diff(self, other: Network, fail_on: str | None = None) -> Diff:
        """What changes from this network to `other`: totals and layers, with --fail-on limits.

        >>> old, new = load("INPUT(8x8x3) → CONV(4, 3)"), load("INPUT(8x8x3) → CONV(8, 3)")
        >>> [(t.old, t.new) for t in old.diff(new).totals][0]
        (112, 224)
        """
        from cnncalc.analysis.diff import diff, parse_thresholds

        limits = parse_thresholds(fail_on) if fail_on else ()
        return diff(
            self.summary().to_dict(), other.summary().to_dict(), self.name or "old", other.name or "new", limits
        )

    def report(self, progress: Progress | None = None) -> Report:
        """One self-contained HTML page: summary, totals, diagram, receptive-field chart and lint.

        `str()` gives the HTML; a notebook shows the page. Past 5,000 layers it is a summary that
        says so (`omissions`). `progress(done, total, name)` hears of each layer and lint rule.

        >>> "<svg" in str(load("lenet5").report())
        True
        """
        from cnncalc.render.report import render_report

        spec = self.spec
        findings = self.lint(progress=progress)
        return render_report(self._summary, self._fields, findings, description=spec.description, source=spec.source)

    def to_json(self) -> str:
        """The spec as JSON, blocks expanded."""
        from cnncalc.spec.write import to_json

        return to_json(self.spec)

    def to_chain(self) -> str:
        """The spec as an inline chain (sequential networks only).

        >>> load("INPUT(8x8x3) → CONV(4, 3) → RELU").to_chain()
        'INPUT(shape=8x8x3) → CONV(kernel=3, filters=4) → RELU'
        """
        from cnncalc.spec.write import to_chain

        return to_chain(self.spec)

    @checked
    def unit_window(self, layer: str, units: tuple[int, ...]) -> tuple[UnitWindow, ...]:
        """The input window that output unit `units` of `layer` sees, per axis."""
        from cnncalc.analysis.receptive_field import unit_window

        shape = self.shape(layer)
        return unit_window(self._fields, layer, units, shape[:-1] if len(shape) > 1 else ())


@checked
def load(
    spec: str | Path | Mapping[str, object] | Module,
    *,
    input: str | tuple[int, ...] | None = None,
    params: Mapping[str, object] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Network:
    """Load a spec — a file path, a bundled name, an inline chain, a dict or a torch.nn.Module
    (traced with torch.fx, no forward pass; give `input`) — into a Network.

    `input` re-runs the spec at another input size (like `--input`), `params` overrides spec
    parameters (like `--set`).

    >>> load({"input": [28, 28, 1], "layers": ["CONV(32, 3)", "FLATTEN", "FC(10)"]}).summary().totals.params
    216650
    """
    parsed = load_spec(spec, input_shape=input, params=params, limits=limits)
    return Network(build_graph(parsed, limits))


def mark_file(path: Path, language: str = "en") -> Marking:
    """Load an answers file and the spec it names, and check every claim (numbers as `language`
    writes them, unless the file says its `language:`)."""
    from cnncalc.analysis.check import mark_answers, read_answers

    document, where = read_answers(path)
    return mark_answers(_named_network(path, document, where), document, where, path, language)


def _named_network(path: Path, document: Mapping[str, object], where: Location) -> Network:
    """The network an answers file or answer key names with `spec:`, at its `input:` with its `set:`."""
    from cnncalc.analysis.check import spec_source
    from cnncalc.shown import quote
    from cnncalc.spec.load import parse_shape

    # The file's own values, checked here so that a mistake is reported as its own.
    written, settings = document.get("input"), document.get("set") or None
    shape = None if written is None else parse_shape(written, where)
    if settings is not None and not isinstance(settings, Mapping):
        raise ValidationSpecError(
            f"'set:' in an answers file maps parameter names to values, got {quote(settings)}",
            location=where,
            hint="e.g. set: {num_classes: 10}",
        )
    try:
        return load(spec_source(path, document), input=shape, params=settings)
    except SpecError as error:  # say which answers file named the spec
        named = f"{error.message} (the spec: of {path})"
        raise type(error)(named, location=error.location, hint=error.hint, rule=error.rule) from None


def load_key(path: Path, language: str = "en") -> Key:
    """An answer key (analysis/grading.py) with the networks its questions are about loaded."""
    from cnncalc.analysis.check import KEY_FILE_KEYS, answers_document, did_you_mean, file_language, spec_source
    from cnncalc.analysis.grading import Key, key_questions, make_question, points_of

    document, where = answers_document(path, answers_as_text=False)  # the key's numbers are the teacher's
    if not isinstance(document, dict) or "questions" not in document:
        hint = (
            _("this is an answers file: give it without --key")
            if isinstance(document, dict) and "answers" in document
            else _("see docs/homework.md for one")
        )
        raise ValidationSpecError(_("an answer key needs 'questions:'"), location=where, hint=hint)
    unknown = [k for k in document if k not in KEY_FILE_KEYS]
    if unknown:
        close = did_you_mean(unknown[0], KEY_FILE_KEYS)
        message = _("unknown key {key!r} in an answer key").format(key=unknown[0])
        raise ValidationSpecError(message + close, location=where)
    networks: dict[str | None, Network | None] = {
        None: _named_network(path, document, where) if "spec" in document else None
    }
    default = points_of(document["points"], where) if "points" in document else Fraction(1)
    questions = []
    for id, fields, at in key_questions(document, where):
        spec = None if fields.get("spec") is None else str(fields["spec"])
        if spec not in networks:
            networks[spec] = _named_network(path, {"spec": spec}, at)
        questions.append(make_question(id, fields, default, networks[spec], at, file_language(document, language)))
    spec = spec_source(path, document) if "spec" in document else None
    written = file_language(document, language)
    return Key(str(path), tuple(questions), tuple(networks.items()), spec, Network, written)


def _same_spec(a: str, b: str) -> bool:
    """Two `spec:` sources name the same spec: the same file, or the same bundled name or chain."""
    return Path(a).resolve() == Path(b).resolve() if Path(a).exists() and Path(b).exists() else a == b


def grade_files(key: Key, paths: Sequence[Path], follow_through: bool = False) -> Gradebook:
    """Grade many answers files against an answer key; a bad file is reported and does not stop the others."""
    from cnncalc.analysis.grading import Gradebook

    rows, errors = [], []
    for path in paths:
        try:
            rows.append(_graded_row(key, path, follow_through))
        except SpecError as error:
            errors.append(error)
    return Gradebook(key, tuple(rows), tuple(errors), follow_through)


def _graded_row(key: Key, path: Path, follow_through: bool) -> Row:
    from cnncalc.analysis.check import file_language, read_answers, spec_source
    from cnncalc.analysis.grading import Row, grade

    document, where = read_answers(path, keyed=True)
    answers = document["answers"]
    if not isinstance(answers, dict):
        hint = _("e.g. answers: {example}").format(example="{q1: 28, conv: {params: 760}}")
        raise ValidationSpecError(
            _("'answers:' must map question ids or layer names to answers"), location=where, hint=hint
        )
    if "spec" in document and key.spec is not None and not _same_spec(spec_source(path, document), key.spec):
        message = _("this answers file names spec {spec!r}, the key {key!r}")
        raise ValidationSpecError(message.format(spec=spec_source(path, document), key=key.spec), location=where,
                                  hint=_("grade it against its own key, or remove its spec:"))  # fmt: skip
    cells, notes = grade(key, answers, follow_through, file_language(document, key.language))
    student = document.get("student")
    id = document.get("id", student if student is not None else path.stem)
    return Row(str(id), None if student is None else str(student), str(path), cells, tuple(notes))


def mark_files(paths: Sequence[Path], language: str = "en") -> list[Marking | SpecError]:
    """Mark many answers files; a bad file is reported and does not stop the others."""
    results: list[Marking | SpecError] = []
    for path in paths:
        try:
            results.append(mark_file(path, language))
        except SpecError as error:
            results.append(error)
    return results
