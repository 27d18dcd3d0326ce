"""Reference logits of a PaddleOCR recogniser file, for OCRImportTests' parity check.

usage: ort_logits.py MODEL.onnx INPUT.f32 B C H W OUTPUT.f32

PaddleOCR's rec exports end in Softmax; its input (the CTC head's logits) is added as a graph
output so the importer's LibTorch model can be compared before the softmax flattens differences.
Writes the logits as raw little-endian float32 and prints their shape as JSON on stdout.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort

model_path, input_path, b, c, h, w, output_path = sys.argv[1:8]
model = onnx.load(model_path)
graph = model.graph
final = [n for n in graph.node if n.output[0] == graph.output[0].name][0]
while final.op_type == "Identity":  # paddle2onnx's save_infer_model/scale_0 wrapper
    final = [n for n in graph.node if n.output[0] == final.input[0]][0]
assert final.op_type == "Softmax", f"the graph ends in {final.op_type}, not Softmax"
logits = onnx.helper.make_tensor_value_info(final.input[0], onnx.TensorProto.FLOAT, None)
graph.output.insert(0, logits)
session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
x = np.fromfile(input_path, dtype="<f4").reshape(int(b), int(c), int(h), int(w))
y = session.run([final.input[0]], {graph.input[0].name: x})[0].astype("<f4")
y.tofile(output_path)
print(json.dumps({"shape": list(y.shape)}))
