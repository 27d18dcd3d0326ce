"""Intermediate values of an ONNX model, for OCRImportTests' backbone parity check.

usage: ort_outputs.py [--optimized] MODEL.onnx INPUT.f32 B C H W OUTDIR NAME...

Each NAME (a value in the graph, or one of its outputs) is made a graph output; its value is written to
OUTDIR/<index>.f32 (raw little-endian float32) and its shape printed as a JSON list.
onnxruntime runs the graph as the file writes it (graph optimisations off: no BatchNorm folded
into convs); --optimized turns them on, which changes the float rounding - the difference
between the two is onnxruntime's own float32 noise on that input.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort

args = sys.argv[1:]
optimized = args[:1] == ["--optimized"]
if optimized:
    args = args[1:]
model_path, input_path, b, c, h, w, outdir = args[:7]
names = args[7:]
model = onnx.load(model_path)
outputs = {o.name for o in model.graph.output}
for name in names:
    if name not in outputs:
        model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
options = ort.SessionOptions()
if not optimized:
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
x = np.fromfile(input_path, dtype="<f4").reshape(int(b), int(c), int(h), int(w))
values = session.run(names, {model.graph.input[0].name: x})
for i, v in enumerate(values):
    v.astype("<f4").tofile(f"{outdir}/{i}.f32")
print(json.dumps([list(v.shape) for v in values]))
