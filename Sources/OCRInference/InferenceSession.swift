import Foundation
internal import COnnxRuntime

/// One ONNX model opened with ONNX Runtime (CPU): its declared inputs and outputs, its metadata,
/// and `run`.
///
///     let session = try InferenceSession(path: "rec.onnx", options: .init(intraOpThreads: 2))
///     let out = try session.run(["x": FloatTensor(pixels, shape: [1, 3, 48, 320])])
///     out["logits"]!.shape        // [1, T, classes]
///
/// Errors name the model file. Thread-safe: ONNX Runtime allows concurrent `Run` calls on one
/// session, and everything else here is fixed after `init`.
public final class InferenceSession: @unchecked Sendable {
    /// How ONNX Runtime runs the model.
    public struct Options: Sendable, Equatable {
        /// ONNX Runtime's graph optimisation levels.
        public enum GraphOptimization: Sendable, Equatable { case none, basic, extended, all }

        /// Threads one operator may use (ONNX Runtime's intra-op pool); 0: its default, one per physical core.
        public var intraOpThreads: Int
        /// Threads for independent branches of the graph; 0: ONNX Runtime's default.
        public var interOpThreads: Int
        public var graphOptimization: GraphOptimization
        /// Let idle pool threads spin before sleeping (ONNX Runtime's default, lowest latency). Off, they
        /// sleep at once, which leaves the CPU to other work on a shared machine.
        public var allowSpinning: Bool

        public init(intraOpThreads: Int = 0, interOpThreads: Int = 0, graphOptimization: GraphOptimization = .all,
                    allowSpinning: Bool = true) {
            self.intraOpThreads = intraOpThreads
            self.interOpThreads = interOpThreads
            self.graphOptimization = graphOptimization
            self.allowSpinning = allowSpinning
        }

        var c: ox_session_options {
            let level: ox_optimization = switch graphOptimization {
            case .none: OX_OPTIMIZE_NONE
            case .basic: OX_OPTIMIZE_BASIC
            case .extended: OX_OPTIMIZE_EXTENDED
            case .all: OX_OPTIMIZE_ALL
            }
            return ox_session_options(intra_op_threads: Int32(clamping: intraOpThreads), inter_op_threads: Int32(clamping: interOpThreads),
                                      optimization: level, allow_spinning: allowSpinning ? 1 : 0)
        }
    }

    /// The model file, as given.
    public let path: String
    public let options: Options
    /// The graph's inputs and outputs, in the graph's order.
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
    public let metadata: ModelMetadata
    private let handle: ox_session

    /// Opens the ONNX model at `path`. Throws `InferenceError` naming the file: `.fileNotFound`,
    /// `.notONNX` (not a model ONNX Runtime can parse), `.unsupportedModel`, `.invalidInput` (options).
    public init(path: String, options: Options = Options()) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InferenceError(.fileNotFound, "\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw InferenceError(.fileNotFound, "\(path): is a directory, not an ONNX model") }
        guard options.intraOpThreads >= 0, options.interOpThreads >= 0 else {
            throw InferenceError(.invalidInput, "\(path): thread counts must be >= 0 (0: ONNX Runtime's default), got intra-op "
                                 + "\(options.intraOpThreads), inter-op \(options.interOpThreads)")
        }
        var session = ox_session()
        try Self.check(path) { err in ox_session_open(&session, path, options.c, &err) }
        do {
            self.inputs = try Self.ioInfos(session, path: path, outputs: false)
            self.outputs = try Self.ioInfos(session, path: path, outputs: true)
            self.metadata = try Self.readMetadata(session, path: path)
        } catch {
            ox_session_free(&session)
            throw error
        }
        self.path = path
        self.options = options
        self.handle = session
    }

    deinit {
        var h = handle
        ox_session_free(&h)
    }

    /// ONNX Runtime's version ("1.21.1").
    public static var runtimeVersion: String { String(cString: ox_runtime_version()) }

    public var inputNames: [String] { inputs.map(\.name) }
    public var outputNames: [String] { outputs.map(\.name) }

    /// Runs the model. `inputs` must give every graph input (float32, a shape the graph accepts);
    /// `outputs` names the outputs wanted, in any number and order (default: all of them). Input
    /// buffers are passed to ONNX Runtime without copying; outputs are copied out.
    public func run(_ inputs: [String: FloatTensor], outputs names: [String]? = nil) throws -> [String: FloatTensor] {
        let wanted = names ?? outputNames
        try validate(inputs: inputs, outputs: wanted)
        let ordered = self.inputs.map { ($0.name, inputs[$0.name]!) }
        let cNames = ordered.map { strdup($0.0) }
        let cOutputNames = wanted.map { UnsafePointer(strdup($0)) }
        let dims = ordered.map { $0.1.shape.map(Int64.init) }
        defer {
            cNames.forEach { free($0) }
            cOutputNames.forEach { free(UnsafeMutablePointer(mutating: $0)) }
        }
        var values = [ox_value](repeating: ox_value(), count: wanted.count)
        try Self.withBuffers(ordered.map(\.1.values)) { data in
            try Self.withBuffers(dims) { dimPointers in
                let cInputs = ordered.indices.map { i in
                    ox_float_input(name: cNames[i], data: data[i], dims: dimPointers[i], rank: dims[i].count)
                }
                try Self.check(path) { err in
                    ox_session_run(handle, cInputs, cInputs.count, cOutputNames, wanted.count, &values, &err)
                }
            }
        }
        defer { for i in values.indices { ox_value_free(&values[i]) } }
        var result = [String: FloatTensor]()
        for (i, name) in wanted.enumerated() {
            var view = ox_tensor_view()
            try Self.check(path) { err in ox_value_view(values[i], &view, &err) }
            let shape = withUnsafeBytes(of: view.dims) { raw in
                Array(raw.bindMemory(to: Int64.self).prefix(view.rank)).map { Int($0) }
            }
            guard view.element_type == OX_ELEMENT_FLOAT else {
                throw InferenceError(.invalidInput, "\(path): output '\(name)' is \(TensorInfo.ElementType(view.element_type)), "
                                     + "run returns float32 outputs only")
            }
            let floats = view.count == 0 ? [] : Array(UnsafeBufferPointer(start: view.data.assumingMemoryBound(to: Float.self),
                                                                          count: view.count))
            result[name] = FloatTensor(unchecked: floats, shape: shape)
        }
        return result
    }

    /// Every problem is named with the file, the input and what the graph declares.
    private func validate(inputs given: [String: FloatTensor], outputs wanted: [String]) throws {
        let declared = self.inputs.map(\.description).joined(separator: ", ")
        for name in given.keys.sorted() where !inputNames.contains(name) {
            throw InferenceError(.invalidInput, "\(path): the model has no input '\(name)'; its inputs are \(declared)")
        }
        for info in self.inputs {
            guard let x = given[info.name] else {
                throw InferenceError(.invalidInput, "\(path): input '\(info.name)' is missing; the model's inputs are \(declared)")
            }
            guard info.elementType == .float else {
                throw InferenceError(.invalidInput, "\(path): input '\(info.name)' is \(info.elementType); run passes float32 inputs only")
            }
            guard x.shape.allSatisfy({ $0 >= 0 }), x.values.count == x.shape.reduce(1, *) else {
                throw InferenceError(.invalidInput, "\(path): input '\(info.name)': \(x.values.count) values do not fill shape \(x.shape)")
            }
            guard info.accepts(shape: x.shape) else {
                throw InferenceError(.invalidInput, "\(path): input '\(info.name)' has shape \(x.shape), the model takes \(info)")
            }
        }
        let declaredOutputs = outputs.map(\.description).joined(separator: ", ")
        guard !wanted.isEmpty else { throw InferenceError(.invalidInput, "\(path): no outputs requested") }
        for name in wanted {
            guard let info = outputs.first(where: { $0.name == name }) else {
                throw InferenceError(.invalidInput, "\(path): the model has no output '\(name)'; its outputs are \(declaredOutputs)")
            }
            guard info.elementType == .float else {
                throw InferenceError(.invalidInput, "\(path): output '\(name)' is \(info.elementType); run returns float32 outputs only")
            }
        }
    }

    // MARK: - C boundary helpers

    /// Runs a C call and turns its status into an `InferenceError` naming `path`.
    static func check(_ path: String, _ body: (inout ox_error) -> Int32) throws {
        var err = ox_error()
        let status = body(&err)
        guard status != Int32(OX_OK.rawValue) else { return }
        defer { ox_error_free(&err) }
        let message = err.message.map { String(cString: $0) } ?? "ONNX Runtime status \(status) (no message)"
        switch UInt32(bitPattern: status) {
        case OX_E_NO_SUCH_FILE.rawValue:
            throw InferenceError(.fileNotFound, "\(path): no such file (ONNX Runtime: \(message))")
        case OX_E_INVALID_MODEL.rawValue:
            throw InferenceError(.notONNX, "\(path): not an ONNX model (ONNX Runtime: \(message))")
        case OX_E_INVALID_GRAPH.rawValue:
            throw InferenceError(.unsupportedModel, "\(path): ONNX Runtime cannot load this model: \(message)")
        case OX_E_ARGUMENT.rawValue, OX_E_INVALID_INPUT.rawValue:
            throw InferenceError(.invalidInput, "\(path): \(message)")
        default:
            throw InferenceError(.runtime, "\(path): \(message)")
        }
    }

    /// Calls `body` with a base address for each array (nil for an empty one), all valid at once.
    private static func withBuffers<T, R>(_ arrays: [[T]], _ body: ([UnsafePointer<T>?]) throws -> R) rethrows -> R {
        var pointers = [UnsafePointer<T>?]()
        func nest(_ i: Int) throws -> R {
            guard i < arrays.count else { return try body(pointers) }
            return try arrays[i].withUnsafeBufferPointer { buffer in
                pointers.append(buffer.baseAddress)
                return try nest(i + 1)
            }
        }
        return try nest(0)
    }

    private static func ioInfos(_ session: ox_session, path: String, outputs: Bool) throws -> [TensorInfo] {
        var count = 0
        try check(path) { err in ox_session_io_count(session, outputs ? 1 : 0, &count, &err) }
        return try (0..<count).map { i in
            var info = ox_io_info()
            try check(path) { err in ox_session_io_info(session, outputs ? 1 : 0, i, &info, &err) }
            defer { ox_io_info_free(&info) }
            let rank = info.rank
            let shape: [Int?] = (0..<rank).map { d in info.dims[d] < 0 ? nil : Int(info.dims[d]) }
            let names = (0..<rank).map { d in String(cString: info.symbolic[d]!) }
            return TensorInfo(name: String(cString: info.name), elementType: .init(info.element_type), shape: shape,
                              dimensionNames: names, isTensor: info.is_tensor != 0)
        }
    }

    private static func readMetadata(_ session: ox_session, path: String) throws -> ModelMetadata {
        var m = ox_metadata()
        try check(path) { err in ox_session_metadata(session, &m, &err) }
        defer { ox_metadata_free(&m) }
        func string(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
        var custom = [String: String]()
        for i in 0..<m.count { custom[string(m.keys[i])] = string(m.values[i]) }
        return ModelMetadata(producerName: string(m.producer_name), graphName: string(m.graph_name), domain: string(m.domain),
                             description: string(m.description), version: m.version, custom: custom)
    }
}
