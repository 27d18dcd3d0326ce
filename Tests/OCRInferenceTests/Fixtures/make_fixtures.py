"""Builds the small ONNX models OCRInferenceTests runs with ONNX Runtime (committed beside this script).

    python3 -m venv .venv-fixtures && .venv-fixtures/bin/pip install onnx==1.17.0
    .venv-fixtures/bin/python Tests/OCRInferenceTests/Fixtures/make_fixtures.py

matmul_softmax.onnx - session tests. x [N, 3] -> y = x @ W [N, 2] and p = softmax(y) [N, 2], with
    W = [[1, 0], [0, 1], [1, 1]]: x = [1, 2, 3] gives y = [4, 5], p = [1/(1+e), e/(1+e)].
    Custom metadata {"alpha": "1", "beta": "two\\nlines"}, producer "ocrkit-fixtures".

Recognisers that read a line image column by column (no learning, exact by construction):
    input x [B, 3, 4, W] (dynamic B, W); one time step per column, T = W; the score of class c at
    step t is -(v - c)^2 with v = x[b, 0, 0, t] * 127.5 / 25, i.e. (byte - 127.5) / 25 for the
    first channel's (blue's) top-row byte. So byte 128 + 25 k reads as class k (k = 1..4), and a
    padded (0 after normalisation) or dark column reads as class 0, the CTC blank.
rec_ocrkit.onnx   - OCRKit metadata (the contract in docs/DECISIONS.md): charset "abc" plus
                    space (5 classes), output logits.
rec_paddle.onnx   - PaddleOCR form: only `character` ("abc", space appended by the reader), softmax
                    in the graph (probabilities).
rec_nometa.onnx   - the same graph without metadata.
rec_badcount.onnx - OCRKit metadata whose charset "abcd" + space (6 classes) disagrees with the 5
                    classes of the output.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 17)]


def save(model, name, metadata=None):
    if metadata:
        helper.set_model_props(model, metadata)
    model.producer_name = "ocrkit-fixtures"
    model.producer_version = "1"
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(HERE, name))


def matmul_softmax():
    w = numpy_helper.from_array(np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float32), "W")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["y"]), helper.make_node("Softmax", ["y"], ["p"], axis=-1)],
        "matmul_softmax",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2]),
         helper.make_tensor_value_info("p", TensorProto.FLOAT, ["N", 2])],
        [w])
    save(helper.make_model(graph, opset_imports=OPSET), "matmul_softmax.onnx", {"alpha": "1", "beta": "two\nlines"})


def column_reader(classes, softmax):
    inits = [
        numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array(127.5 / 25, dtype=np.float32), "scale"),
        numpy_helper.from_array(np.arange(classes, dtype=np.float32), "class_ids"),
    ]
    nodes = [
        helper.make_node("Gather", ["x", "zero"], ["channel0"], axis=1),       # B x 3 x 4 x W -> B x 4 x W
        helper.make_node("Gather", ["channel0", "zero"], ["row0"], axis=1),    # B x 4 x W -> B x W
        helper.make_node("Unsqueeze", ["row0", "axis2"], ["column"]),          # B x W -> B x W x 1
        helper.make_node("Mul", ["column", "scale"], ["v"]),
        helper.make_node("Sub", ["v", "class_ids"], ["d"]),                    # B x W x classes
        helper.make_node("Mul", ["d", "d"], ["d2"]),
        helper.make_node("Neg", ["d2"], ["logits" if not softmax else "scores"]),
    ]
    out = "logits"
    if softmax:
        nodes.append(helper.make_node("Softmax", ["scores"], ["softmax_out"], axis=-1))
        out = "softmax_out"
    graph = helper.make_graph(
        nodes, "column_reader",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", 3, 4, "W"])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["B", "W", classes])],
        inits)
    return helper.make_model(graph, opset_imports=OPSET)


def ocrkit_metadata(character):
    return {
        "ocrkit.kind": "rec", "ocrkit.format_version": "1", "ocrkit.algorithm": "CRNN",
        "character": "\n".join(character), "ocrkit.use_space_char": "true", "ocrkit.blank_index": "0",
        "ocrkit.input_channels": "3", "ocrkit.input_height": "4", "ocrkit.input_width": "16",
        "ocrkit.fixed_width": "false", "ocrkit.resize": "keep_ratio_pad", "ocrkit.mean": "0.5,0.5,0.5",
        "ocrkit.std": "0.5,0.5,0.5", "ocrkit.color_order": "BGR", "ocrkit.decoder": "ctc_greedy",
        "ocrkit.output": "logits", "ocrkit.precision": "fp32", "ocrkit.source_checkpoint": "runs/fixture/best.h5",
        "ocrkit.config_sha256": "0" * 64,
    }


if __name__ == "__main__":
    matmul_softmax()
    save(column_reader(5, softmax=False), "rec_ocrkit.onnx", ocrkit_metadata("abc"))
    save(column_reader(5, softmax=True), "rec_paddle.onnx", {"character": "a\nb\nc"})
    save(column_reader(5, softmax=False), "rec_nometa.onnx")
    save(column_reader(5, softmax=False), "rec_badcount.onnx", ocrkit_metadata("abcd"))
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".onnx"):
            print(name, os.path.getsize(os.path.join(HERE, name)), "bytes")
