import CTorch

/// An error from LibTorch, carrying the shim's message: the op, the shapes involved, and
/// LibTorch's own explanation, e.g. `conv2d(input=[1, 3, 8, 8], weight=[4, 2, 3, 3], bias=none): ...`.
public struct TorchError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }

    /// Takes ownership of the shim's error and frees it.
    init(consuming err: inout ct_error) {
        message = err.message.map { String(cString: $0) } ?? "unknown LibTorch error"
        ct_error_free(&err)
    }
}

/// Element types a tensor can hold.
public enum DType: Sendable, CaseIterable {
    case float32, float64, bfloat16, float16, int64, int32, int8, uint8, bool

    var c: ct_dtype {
        switch self {
        case .float32: CT_FLOAT32
        case .float64: CT_FLOAT64
        case .bfloat16: CT_BFLOAT16
        case .float16: CT_FLOAT16
        case .int64: CT_INT64
        case .int32: CT_INT32
        case .int8: CT_INT8
        case .uint8: CT_UINT8
        case .bool: CT_BOOL
        }
    }

    init(_ c: ct_dtype) {
        self = DType.allCases.first { $0.c == c } ?? .float32
    }

    public var isFloatingPoint: Bool { [.float32, .float64, .bfloat16, .float16].contains(self) }
}

/// Swift types whose values can be copied into and out of tensors.
public protocol TensorElement: Sendable {
    static var dtype: DType { get }
}
extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension Int8: TensorElement { public static var dtype: DType { .int8 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }

/// Owns one LibTorch tensor; freed in deinit. Not Sendable: a tensor crosses threads only inside
/// an actor or a serial container.
public final class Tensor {
    public let handle: ct_tensor

    init(handle: ct_tensor) { self.handle = handle }
    deinit { ct_tensor_free(handle) }

    /// Runs one shim entry point that writes a tensor; throws its error.
    @inline(__always)
    static func call(_ body: (inout ct_tensor, inout ct_error) -> Int32) throws -> Tensor {
        var out = ct_tensor(ptr: nil)
        var err = ct_error(message: nil)
        if body(&out, &err) != 0 { throw TorchError(consuming: &err) }
        return Tensor(handle: out)
    }

    /// Like `call`, for an entry point that may legitimately write no tensor (a NULL handle).
    @inline(__always)
    static func callOptional(_ body: (inout ct_tensor, inout ct_error) -> Int32) throws -> Tensor? {
        var out = ct_tensor(ptr: nil)
        var err = ct_error(message: nil)
        if body(&out, &err) != 0 { throw TorchError(consuming: &err) }
        return out.ptr == nil ? nil : Tensor(handle: out)
    }

    /// Runs one shim entry point that writes nothing but a status.
    @inline(__always)
    static func check(_ body: (inout ct_error) -> Int32) throws {
        var err = ct_error(message: nil)
        if body(&err) != 0 { throw TorchError(consuming: &err) }
    }

    // MARK: introspection

    public var shape: [Int] {
        var dims = [Int64](repeating: 0, count: Int(ct_tensor_dim(handle)))
        _ = ct_tensor_shape(handle, &dims, Int64(dims.count))
        return dims.map(Int.init)
    }
    public var rank: Int { Int(ct_tensor_dim(handle)) }
    public var count: Int { Int(ct_tensor_numel(handle)) }
    public var dtype: DType { DType(ct_tensor_dtype(handle)) }
    public func size(_ dim: Int) -> Int {
        let s = shape
        return s[dim < 0 ? dim + s.count : dim]
    }
    public func isContiguous(channelsLast: Bool = false) -> Bool {
        ct_tensor_is_contiguous(handle, channelsLast ? CT_MEMORY_CHANNELS_LAST : CT_MEMORY_CONTIGUOUS)
    }

    /// The LibTorch version this build links, e.g. (1, 13, 1).
    public static var libtorchVersion: (major: Int, minor: Int, patch: Int) {
        var a: Int32 = 0, b: Int32 = 0, c: Int32 = 0
        _ = ct_version(&a, &b, &c)
        return (Int(a), Int(b), Int(c))
    }
}

@inline(__always) func i64(_ xs: [Int]) -> [Int64] { xs.map(Int64.init) }

// MARK: - creation and conversion

extension Tensor {
    /// Copies `values` into a new tensor of the given shape.
    public convenience init<T: TensorElement>(_ values: [T], shape: [Int]) throws {
        let expected = shape.reduce(1, *)
        guard values.count == expected else {
            throw TorchError("from_data: \(values.count) values for shape \(shape) (needs \(expected))")
        }
        let s = i64(shape)
        let t = try values.withUnsafeBytes { buf in
            try Tensor.call { out, err in ct_from_data(&out, buf.baseAddress, s, Int64(s.count), T.dtype.c, &err) }
        }
        self.init(handle: t.takeHandle())
    }

    /// A 1-d tensor of `values`.
    public convenience init<T: TensorElement>(_ values: [T]) throws {
        try self.init(values, shape: [values.count])
    }

    /// A 0-d tensor.
    public convenience init(scalar: Double, dtype: DType = .float32) throws {
        let t = try Tensor.full([], value: scalar, dtype: dtype)
        self.init(handle: t.takeHandle())
    }

    /// Moves the handle out of a temporary wrapper (which then owns nothing).
    private func takeHandle() -> ct_tensor {
        var copy = ct_tensor(ptr: nil)
        var err = ct_error(message: nil)
        _ = ct_tensor_clone_handle(&copy, handle, &err)
        return copy
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        let s = i64(shape)
        return try call { out, err in ct_zeros(&out, s, Int64(s.count), dtype.c, &err) }
    }
    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        let s = i64(shape)
        return try call { out, err in ct_ones(&out, s, Int64(s.count), dtype.c, &err) }
    }
    public static func full(_ shape: [Int], value: Double, dtype: DType = .float32) throws -> Tensor {
        let s = i64(shape)
        return try call { out, err in ct_full(&out, s, Int64(s.count), value, dtype.c, &err) }
    }
    /// Standard normal samples from LibTorch's global generator (see `Torch.seed`).
    public static func randn(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        let s = i64(shape)
        return try call { out, err in ct_randn(&out, s, Int64(s.count), dtype.c, &err) }
    }
    /// Uniform samples in [0, 1).
    public static func rand(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        let s = i64(shape)
        return try call { out, err in ct_rand(&out, s, Int64(s.count), dtype.c, &err) }
    }
    /// Integers uniform in [low, high), int64.
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int]) throws -> Tensor {
        let s = i64(shape)
        return try call { out, err in ct_randint(&out, Int64(low), Int64(high), s, Int64(s.count), &err) }
    }
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32) throws -> Tensor {
        try call { out, err in ct_arange(&out, start, end, step, dtype.c, &err) }
    }

    public func to(_ dtype: DType) throws -> Tensor {
        try Tensor.call { out, err in ct_to_dtype(&out, handle, dtype.c, &err) }
    }
    /// The same values in channels-last (NHWC) memory order: faster convolutions on CPU.
    public func channelsLast() throws -> Tensor {
        try Tensor.call { out, err in ct_to_memory_format(&out, handle, CT_MEMORY_CHANNELS_LAST, &err) }
    }

    /// Copies the values to a Swift array, converting the dtype first when it differs.
    /// Host sync: waits for the tensor's producers.
    public func toArray<T: TensorElement>(_: T.Type = T.self) throws -> [T] {
        let src = dtype == T.dtype ? self : try to(T.dtype)
        let n = src.count
        var result = [T](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        try result.withUnsafeMutableBytes { buf in
            try Tensor.check { err in ct_copy_to_host(src.handle, buf.baseAddress, buf.count, &err) }
        }
        return result
    }

    /// The value of a one-element tensor. Host sync.
    public func item() throws -> Double {
        var v = 0.0
        try Tensor.check { err in ct_item(handle, &v, &err) }
        return v
    }

    public func clone() throws -> Tensor { try Tensor.call { out, err in ct_clone(&out, handle, &err) } }

    /// Copies `source` into this tensor in place, outside autograd (loading weights).
    public func copy(from source: Tensor) throws {
        try Tensor.check { err in ct_copy_(handle, source.handle, &err) }
    }
    /// In place, outside autograd.
    public func fill(_ value: Double) throws { try Tensor.check { err in ct_fill_(handle, value, &err) } }
    /// In place, outside autograd: uniform in [a, b).
    public func uniform(_ a: Double, _ b: Double) throws { try Tensor.check { err in ct_uniform_(handle, a, b, &err) } }
    /// In place, outside autograd.
    public func normal(mean: Double = 0, std: Double = 1) throws {
        try Tensor.check { err in ct_normal_(handle, mean, std, &err) }
    }
    /// In place, outside autograd: self = self op other (EMA updates, manual steps).
    public func update(_ op: BinaryOp, _ other: Tensor) throws {
        try Tensor.check { err in ct_inplace_binary(handle, other.handle, op.c, &err) }
    }
    public func update(_ op: BinaryOp, _ scalar: Double) throws {
        try Tensor.check { err in ct_inplace_binary_scalar(handle, scalar, op.c, &err) }
    }
}
