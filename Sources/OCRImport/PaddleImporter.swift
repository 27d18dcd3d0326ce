import Foundation
import NN
import OCRModels
import Torch

/// What an import mapped: one line per module tensor with the file node it came from.
public struct ImportReport: CustomStringConvertible, Sendable {
    public struct Entry: Sendable {
        public var path: String
        public var shape: [Int]
        /// The ONNX node and the constant's name.
        public var node: String, constant: String
        public var transposed: Bool
    }

    public var file: String
    public var entries: [Entry] = []
    /// Fixed numbers checked (hard-swish's 3 and 6, LayerNorm epsilons, attention scales, ...).
    public var fixedChecked = 0
    /// Weight-carrying nodes matched.
    public var nodesMatched = 0
    /// Modules the file does not hold (DBHead's threshold branch), kept as initialised, with why.
    public var notInFile: [(path: String, why: String)] = []

    public var description: String {
        let scalars = entries.reduce(0) { $0 + $1.shape.reduce(1, *) }
        var lines = ["imported \(file): \(entries.count) tensors (\(scalars) values) from \(nodesMatched) nodes, "
                     + "\(fixedChecked) fixed constants checked"
                     + notInFile.map { "; \($0.path): \($0.why)" }.joined()]
        lines += notInFile.map { "  \($0.path): \($0.why)" }
        lines += entries.map { "  \($0.path) \($0.shape) <- \($0.node)\($0.transposed ? " (transposed)" : "")" }
        return lines.joined(separator: "\n")
    }
}

/// Imports a PaddleOCR inference model exported to ONNX (RapidOCR's files: paddle2onnx, weights in
/// Constant nodes) into an OCRKit module of the same architecture. The file's weight-carrying
/// nodes are matched one by one, in graph order, to what the module's layers expect
/// (`PaddleGraphPattern`): op type, constant shapes, fixed numbers and conv attributes. The first
/// difference stops the import with an error naming that node, so a file of another architecture
/// (or the same architecture at another size) is refused rather than loaded partly.
public enum PaddleImporter {
    /// The module's full state (parameters and buffers) with the file's weights, ready for
    /// `Module.load(_:strict: true)` or a checkpoint. The module itself is not changed.
    /// - Parameter prefix: the module is the first part of the file's model (a detector's
    ///   backbone before its neck and head are built): the file may continue after it.
    public static func state(from file: ONNXModelFile, for model: Module, prefix: Bool = false)
        throws -> (state: [String: Tensor], report: ImportReport) {
        let arch = (model as? any Recognizer)?.architecture.algorithm ?? model.kind
        let expected: [ExpectedNode]
        do {
            expected = try PaddleGraphPattern.expected(for: model)
        } catch {
            throw ImportError("\(file.path): the \(arch) model cannot be matched against a PaddleOCR export: \(error)")
        }
        let found = weightNodes(file)
        var report = ImportReport(file: file.path)
        var state = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.path, $0.tensor) })
        var assigned = Set<String>()

        // i: the file's weight node, k: the model's expected node (optional ones may be absent).
        var (i, k) = (0, 0)
        func mismatch(_ why: String) -> ImportError {
            let node = i < found.count ? describe(found[i]) : "the end of the graph"
            let wanted = k < expected.count ? expected[k].description : "no further weights (the model is complete)"
            return ImportError("\(file.path): the graph does not match the \(arch) model: weight node #\(i + 1) is \(node), "
                               + "the model expects \(wanted): \(why)")
        }

        while k < expected.count || (!prefix && i < found.count) {
            guard k < expected.count else { throw mismatch("the file has more weight nodes than the model") }
            if expected[k].optional, i >= found.count || !expected[k].matchesFixed(found[i]) {
                k += 1
                continue
            }
            guard i < found.count else { throw mismatch("the file ends early") }
            let (e, node, constants) = (expected[k], found[i].node, found[i].constants)
            defer { (i, k) = (i + 1, k + 1) }
            guard e.opType == node.opType else { throw mismatch("op type differs") }
            guard constants.count == e.constants.count else {
                throw mismatch("\(constants.count) constant inputs, expected \(e.constants.count)")
            }
            if let conv = e.conv { try checkConv(node, conv, mismatch: mismatch) }
            for (c, t) in zip(e.constants, constants) {
                switch c {
                case .fixed(let v):
                    guard t.floats.count == 1, abs(t.floats[0] - v) <= 1e-6 * max(1, abs(v)) else {
                        throw mismatch("constant '\(t.name)' is \(t.floats.prefix(4)) (shape \(t.shape)), expected \(v)")
                    }
                    report.fixedChecked += 1
                case .values(let v):
                    guard t.floats.count == v.count, zip(t.floats, v).allSatisfy({ abs($0 - $1) <= 1e-6 * max(1, abs($1)) }) else {
                        throw mismatch("constant '\(t.name)' is \(t.floats.prefix(8)) (shape \(t.shape)), expected \(v)")
                    }
                    report.fixedChecked += 1
                case .parameter(let path, let shape, let transposed):
                    let fileShape = transposed ? Array(shape.reversed()) : shape
                    // A bias added after a ConvTranspose is stored broadcastable (1 x C x 1 x 1).
                    guard t.shape == fileShape || t.shape.filter({ $0 != 1 }) == fileShape.filter({ $0 != 1 }) else {
                        throw mismatch("constant '\(t.name)' has shape \(t.shape), expected \(fileShape)")
                    }
                    var tensor = try Tensor(t.floats, shape: transposed ? fileShape : shape)
                    if transposed { tensor = try tensor.transpose(0, 1).contiguous() }
                    state[path] = tensor
                    assigned.insert(path)
                    report.entries.append(.init(path: path, shape: shape, node: node.name, constant: t.name, transposed: transposed))
                }
            }
            report.nodesMatched += 1
        }
        // Every parameter must have come from the file, except in modules the export leaves out;
        // buffers other than BatchNorm's statistics (its batch counter) keep the module's values.
        let notInFile = PaddleGraphPattern.notExported(in: model)
        report.notInFile = notInFile.map { ($0.module.path.description, $0.why) }
        let fresh = Set(notInFile.flatMap { $0.module.namedParameters().map(\.path) })
        let missing = model.namedParameters().map(\.path).filter { !assigned.contains($0) && !fresh.contains($0) }
        guard missing.isEmpty else {
            throw ImportError("\(file.path): the graph matched but left \(missing.count) parameters unset: "
                              + missing.prefix(5).joined(separator: ", "))
        }
        return (state, report)
    }

    /// Reads `path` and loads its weights into `model` in place (`prefix`: see `state(from:for:prefix:)`).
    @discardableResult
    public static func load(_ path: String, into model: Module, prefix: Bool = false) throws -> ImportReport {
        let file = try ONNXModelFile(contentsOf: path)
        let (state, report) = try state(from: file, for: model, prefix: prefix)
        try model.load(state, strict: true)
        return report
    }

    private static func checkConv(_ node: ONNXNode, _ conv: ConvAttributes, mismatch: (String) -> ImportError) throws {
        let wanted: [(String, [Int]?, [Int])] = [
            ("kernel_shape", node.ints("kernel_shape"), conv.kernel),
            ("strides", node.ints("strides") ?? [1, 1], conv.stride),
            ("pads", node.ints("pads") ?? [0, 0, 0, 0], conv.padding),
            ("dilations", node.ints("dilations") ?? [1, 1], conv.dilation),
            ("group", [node.int("group") ?? 1], [conv.groups]),
        ]
        for (name, got, want) in wanted where got != nil && got! != want {
            throw mismatch("\(node.opType) \(name) \(got!) in the file, \(want) in the model")
        }
    }

    /// A node of the file with its float constant inputs, in input order.
    struct WeightNode {
        var node: ONNXNode
        var constants: [ONNXTensor]
    }

    /// The file's weight-carrying nodes in graph order, normalised so that every paddle2onnx
    /// version matches one pattern:
    /// - a conv's bias written after a bias-less Conv - as `Reshape(bias, [1, C, 1, 1])` + `Add`
    ///   (PP-OCRv4's files) or as `Add` of a 1 x C x 1 x 1 initializer (PP-OCRv6's) - is taken as
    ///   the Conv's second constant;
    static func weightNodes(_ file: ONNXModelFile) -> [WeightNode] {
        var found: [WeightNode] = []
        for n in file.computeNodes {
            let cs = n.inputs.compactMap { file.constants[$0] }.filter(\.isFloat)
            guard !cs.isEmpty else { continue }
            if let last = found.last, last.node.opType == "Conv", last.constants.count == 1, cs.count == 1,
               let outChannels = last.constants[0].shape.first {
                let reshapedBias = n.opType == "Reshape" && cs[0].shape == [outChannels]
                let addedBias = n.opType == "Add" && cs[0].shape == [1, outChannels, 1, 1]
                    && last.node.outputs.first.map(n.inputs.contains) == true
                if reshapedBias || addedBias {
                    found[found.count - 1].constants.append(cs[0])
                    continue
                }
            }
            found.append(WeightNode(node: n, constants: cs))
        }
        return found
    }

    private static func describe(_ w: WeightNode) -> String {
        let shapes = w.constants.map { t in t.elementCount == 1 ? "=\(t.floats.first ?? .nan)" : "\(t.shape)" }
        return "'\(w.node.name)' \(w.node.opType)(\(shapes.joined(separator: ", ")))"
    }
}
