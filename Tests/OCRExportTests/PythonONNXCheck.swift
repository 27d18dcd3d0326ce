import Foundation
import NN
import OCRExport
import Torch
import XCTest

/// Runs Python/check_onnx.py (reference `onnx` checker + Python onnxruntime, from the venv
/// scripts/test-venv.sh makes) on exported models, comparing each run with the LibTorch output.
/// A missing venv is a test failure, never a skip.
enum PythonONNXCheck {
    struct Case {
        var input: Tensor
        var expected: Tensor
    }

    struct Report: Decodable {
        struct ValueInfo: Decodable {
            var name: String
            var elemType: Int
            var dims: [Dim]
            enum CodingKeys: String, CodingKey { case name, elemType = "elem_type", dims }
        }
        /// A dimension as Python reports it: a size or a symbolic name.
        enum Dim: Decodable, Equatable, CustomStringConvertible {
            case value(Int), param(String)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let v = try? c.decode(Int.self) { self = .value(v) } else { self = .param(try c.decode(String.self)) }
            }
            var description: String {
                switch self { case .value(let v): "\(v)"; case .param(let p): p }
            }
        }
        struct CaseResult: Decodable {
            var outputShape: [Int]
            var maxAbsDiff: Double?
            var finite: Bool
            enum CodingKeys: String, CodingKey { case outputShape = "output_shape", maxAbsDiff = "max_abs_diff", finite }
        }
        /// This report with only `cases` (to assert some cases with their own limit).
        init(copying r: Report, cases: [CaseResult]) {
            self = r
            self.cases = cases
        }

        var irVersion: Int
        var opsets: [String: Int]
        var producerName: String
        var metadata: [String: String]
        var metadataKeys: [String]
        var inputs: [ValueInfo]
        var outputs: [ValueInfo]
        var initializers: [String]
        var opTypes: [String]
        var nodeCount: Int
        var cases: [CaseResult]
        enum CodingKeys: String, CodingKey {
            case irVersion = "ir_version", opsets, producerName = "producer_name", metadata, metadataKeys = "metadata_keys"
            case inputs, outputs, initializers, opTypes = "op_types", nodeCount = "node_count", cases
        }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static var python: String { packageRoot + "/.deps/pyvenv/bin/python" }
    static var script: String { packageRoot + "/Tests/OCRExportTests/Python/check_onnx.py" }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Writes each model and its cases to a temporary folder, runs the checker once for all of
    /// them, and returns one report per model (in order). Throws when the checker fails.
    static func run(_ models: [(model: ONNXModel, cases: [Case])]) throws -> [Report] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "no test venv at \(python): run scripts/test-venv.sh (make test runs it via scripts/setup.sh)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-onnx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var entries: [[String: Any]] = []
        for (i, m) in models.enumerated() {
            let path = "\(dir)/model\(i).onnx"
            try m.model.write(to: path)
            var cases: [[String: Any]] = []
            for (j, c) in m.cases.enumerated() {
                let input = "\(dir)/m\(i)_c\(j)_x.f32", expected = "\(dir)/m\(i)_c\(j)_y.f32"
                try writeFloats(c.input, to: input)
                try writeFloats(c.expected, to: expected)
                cases.append(["input": input, "input_shape": c.input.shape, "expected": expected, "expected_shape": c.expected.shape])
            }
            entries.append(["path": path, "cases": cases])
        }
        let manifest = "\(dir)/manifest.json"
        try JSONSerialization.data(withJSONObject: ["models": entries]).write(to: URL(fileURLWithPath: manifest))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, manifest]
        process.environment = ProcessInfo.processInfo.environment.merging(["OMP_NUM_THREADS": "1"]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting: a full pipe would block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "check_onnx.py failed (exit \(process.terminationStatus)):\n" + String(decoding: stderr, as: UTF8.self))
        }
        return try JSONDecoder().decode([String: [Report]].self, from: stdout)["models"] ?? []
    }

    static func run(_ model: ONNXModel, cases: [Case]) throws -> Report {
        try run([(model, cases)])[0]
    }

    static func writeFloats(_ t: Tensor, to path: String) throws {
        let values = try t.toArray(Float.self)
        try values.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
    }
}

/// Asserts that every case ran with the expected shape and within `limit`; prints each number.
func assertParity(_ report: PythonONNXCheck.Report, _ cases: [PythonONNXCheck.Case], limit: Double = 1e-4,
                  _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(report.cases.count, cases.count, label, file: file, line: line)
    for (r, c) in zip(report.cases, cases) {
        let name = "\(label) input \(c.input.shape)"
        XCTAssertEqual(r.outputShape, c.expected.shape, name, file: file, line: line)
        XCTAssertTrue(r.finite, "\(name): non-finite output", file: file, line: line)
        guard let diff = r.maxAbsDiff else { XCTFail("\(name): no comparison (shape mismatch)", file: file, line: line); continue }
        let scale = (try? c.expected.abs().max().item()) ?? .nan
        print("\(name): max |diff| = \(String(format: "%.2e", diff)) (limit \(limit); max |output| \(String(format: "%.1f", scale)))")
        XCTAssertLessThanOrEqual(diff, limit, "\(name): max |diff| = \(diff) (limit \(limit))", file: file, line: line)
    }
}
