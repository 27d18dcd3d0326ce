"""Intermediate values of an ONNX model, for OCRImportTests' backbone parity check.

usage: ort_outputs.py MODEL.onnx INPUT.f32 B C H W OUTDIR NAME...

Each NAME (a value in the graph) is added as a graph output; its value is written to
OUTDIR/<index>.f32 (raw little-endian float32) and its shape printed as a JSON list.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort

model_path, input_path, b, c, h, w, outdir = sys.argv[1:8]
names = sys.argv[8:]
model = onnx.load(model_path)
for name in names:
    model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
x = np.fromfile(input_path, dtype="<f4").reshape(int(b), int(c), int(h), int(w))
values = session.run(names, {model.graph.input[0].name: x})
for i, v in enumerate(values):
    v.astype("<f4").tofile(f"{outdir}/{i}.f32")
print(json.dumps([list(v.shape) for v in values]))
