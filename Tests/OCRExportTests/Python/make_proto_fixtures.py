"""Reference bytes for ONNXMessageTests: small ONNX messages built with the `onnx` package and
serialised by Google's protobuf runtime. Run with the test venv and paste the hex into the test:

    .deps/pyvenv/bin/python Tests/OCRExportTests/Python/make_proto_fixtures.py
"""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

tensor = numpy_helper.from_array(np.array([[1.0, -2.5]], dtype=np.float32), name="w")
print("float tensor     ", tensor.SerializeToString().hex())
print("int8 tensor      ", numpy_helper.from_array(np.array([-1, 2, 127], dtype=np.int8), name="q").SerializeToString().hex())
print("int attribute    ", helper.make_attribute("group", 3).SerializeToString().hex())
print("ints attribute   ", helper.make_attribute("perm", [0, 2, 1]).SerializeToString().hex())
print("float attribute  ", helper.make_attribute("alpha", 0.2).SerializeToString().hex())
print("string attribute ", helper.make_attribute("mode", "nearest").SerializeToString().hex())
node = helper.make_node("Conv", ["x", "w", ""], ["y"], name="c", group=2)
print("node             ", node.SerializeToString().hex())
vi = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 32, "width"])
print("value info       ", vi.SerializeToString().hex())
