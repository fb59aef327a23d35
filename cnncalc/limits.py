"""Resource bounds: every expansion of user input is checked against these.

They are generous for real networks (the largest bundled spec, Inception-ResNet-v2, is 783
layers written in 7 KB; the benchmarks build 100,000) and keep the cost of any input within them
to seconds and a few hundred MB: a 2 MiB YAML file takes about 5 s and 260 MB to read.
Override per call with `Limits(...)` or with the environment variables named in `Limits.from_env`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """Bounds on every expansion: file and model size, chain length, nodes, layers, repeats and nesting."""

    max_file_bytes: int = 2 * 1024 * 1024
    # Other files by kind, each far above a real one: a config file is a page of text,
    # a diff baseline a JSON summary, --data one input batch, --weights a large model's parameters.
    max_config_bytes: int = 1024 * 1024
    max_baseline_bytes: int = 64 * 1024 * 1024
    max_data_bytes: int = 2 * 1024**3
    max_weights_bytes: int = 4 * 1024**3
    max_model_bytes: int = 1024 * 1024 * 1024  # an .onnx file: VGG-16 with its weights inside is 528 MB
    max_chain_chars: int = 2 * 1024 * 1024
    max_yaml_nodes: int = 1_000_000
    max_nesting: int = 100
    max_block_depth: int = 32
    # The zoo's largest network has 783 layers. At 20,000 every command of any spec within the
    # limits takes seconds and a few hundred MB (explain and report are the slowest, about 0.3 ms
    # and 11 KB a layer); CNNCALC_MAX_LAYERS raises it for generated networks (benchmarks/scaling).
    max_repeat: int = 20_000
    max_layers: int = 20_000
    max_dimension: int = 2**40
    max_expression_chars: int = 1_000
    max_answer_files: int = 10_000  # `cnncalc check`: a class, or a whole school year of them

    @classmethod
    def from_env(cls) -> Limits:
        """Read `CNNCALC_MAX_LAYERS`, `CNNCALC_MAX_REPEAT`, … (upper-cased field names)."""
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"CNNCALC_{f.name.upper()}")
            if raw is not None and raw.strip().isdigit():
                values[f.name] = int(raw)
        return cls(**values)


DEFAULT_LIMITS = Limits.from_env()  # immutable; CNNCALC_MAX_* variables adjust it per process
