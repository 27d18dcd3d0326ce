"""Independent check of ONNX files written by OCRKit, for OCRExportTests.

Reads a manifest (JSON) naming models and test cases, and for each model:
  * loads it with the reference `onnx` package and runs onnx.checker.check_model(full_check=True)
    (structure, operator schemas, strict shape inference),
  * runs every case with Python's onnxruntime (CPU, default graph optimisations, one thread) and
    compares the output with the LibTorch output the Swift test wrote: max |diff|,
  * reports what the file declares (IR version, opsets, producer, metadata, inputs, outputs,
    initializer names, operator types) so the test can compare it with what it meant to write.

Usage: python check_onnx.py MANIFEST.json  -> one JSON report on stdout; exit 1 on any error.
Manifest: {"models": [{"path": str, "cases": [{"input": str, "input_shape": [int],
                                             "expected": str, "expected_shape": [int]}]}]}
Tensors are raw little-endian float32 files, row-major.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def dims(value_info):
    shape = value_info.type.tensor_type.shape
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in shape.dim]


def check(entry):
    path = entry["path"]
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    graph = model.graph
    report = {
        "ir_version": model.ir_version,
        "opsets": {o.domain: o.version for o in model.opset_import},
        "producer_name": model.producer_name,
        "metadata": {p.key: p.value for p in model.metadata_props},
        "metadata_keys": [p.key for p in model.metadata_props],
        "inputs": [{"name": v.name, "elem_type": v.type.tensor_type.elem_type, "dims": dims(v)} for v in graph.input],
        "outputs": [{"name": v.name, "elem_type": v.type.tensor_type.elem_type, "dims": dims(v)} for v in graph.output],
        "initializers": [t.name for t in graph.initializer],
        "op_types": sorted({n.op_type for n in graph.node}),
        "node_count": len(graph.node),
        "cases": [],
    }
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    for case in entry["cases"]:
        x = np.fromfile(case["input"], dtype="<f4").reshape(case["input_shape"])
        expected = np.fromfile(case["expected"], dtype="<f4").reshape(case["expected_shape"])
        (y,) = session.run(None, {input_name: x})
        same_shape = list(y.shape) == list(expected.shape)
        report["cases"].append({
            "output_shape": list(y.shape),
            "max_abs_diff": float(np.abs(y - expected).max()) if same_shape else None,
            "finite": bool(np.isfinite(y).all()),
        })
    return report


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    print(json.dumps({"models": [check(m) for m in manifest["models"]]}))


if __name__ == "__main__":
    main()
