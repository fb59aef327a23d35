"""Run by tests/test_conventions.py in its own process (KERAS_BACKEND=tensorflow): each spec is
exported to Keras by cnncalc, traced by TensorFlow and profiled as the Keras FLOPs recipes do
(tf.compat.v1 profiler, `float_operation()` on the frozen forward graph of one input). Prints, per
spec, the FLOPs of every cnncalc layer (ops attributed by the layer's name scope) and the total.

    python tests/keras_tf_profile.py CASES.json
"""

import json
import os
import re
import sys

os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf
from tensorflow.python.framework import ops as tf_ops
from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2_as_graph
from tensorflow.python.profiler import model_analyzer, option_builder

import cnncalc
from cnncalc.export.keras_model import to_keras


def profile(spec: object, size: str | None) -> dict[str, object]:
    network = cnncalc.load(spec, input=size)
    namespace: dict[str, object] = {}
    exec(compile(to_keras(network.graph), "generated", "exec"), namespace)  # the test's own export
    model = namespace["build"]()
    signature = tf.TensorSpec((1, *model.inputs[0].shape[1:]), tf.float32)
    function = tf.function(lambda x: model(x, training=False)).get_concrete_function(signature)
    _, graph_def = convert_variables_to_constants_v2_as_graph(function)
    labels = {re.sub(r"\W", "_", name): name for name in network.layer_names}
    per_layer: dict[str, int] = {}
    with tf.Graph().as_default() as graph:
        tf.graph_util.import_graph_def(graph_def, name="")
        options = option_builder.ProfileOptionBuilder(option_builder.ProfileOptionBuilder.float_operation())
        total = model_analyzer.profile(graph=graph, options=options.with_empty_output().build()).total_float_ops
        for node in graph.as_graph_def().node:
            try:
                flops = int(tf_ops.get_stats_for_node_def(graph, node, "flops").value or 0)
            except ValueError:  # no statistic registered for this op: the profiler counts nothing
                continue
            if flops:
                # Keras scopes ops as model/<layer>_1/op; cnncalc's layers keep their names, and the
                # helper layers the export adds for one (<layer>_full, _pad, _flatten) count for it.
                scopes = [re.sub(r"(_full|_pad|_flatten)?_\d+$", "", part) for part in node.name.split("/")]
                owner = next((labels[s] for s in scopes if s in labels), node.name)
                per_layer[owner] = per_layer.get(owner, 0) + flops
    return {"total": int(total), "layers": per_layer}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        cases = json.load(handle)
    print(json.dumps([profile(case["spec"], case.get("input")) for case in cases]))
