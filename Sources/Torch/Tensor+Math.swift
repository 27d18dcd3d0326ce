import CTorch

public enum UnaryOp: Sendable {
    case neg, abs, exp, log, sqrt, rsqrt, square, reciprocal, sign, floor, ceil, round, sin, cos
    case relu, relu6, hardSwish, hardSigmoid, sigmoid, tanh, gelu, geluTanh, silu

    var c: ct_unary_op {
        switch self {
        case .neg: CT_UNARY_NEG
        case .abs: CT_UNARY_ABS
        case .exp: CT_UNARY_EXP
        case .log: CT_UNARY_LOG
        case .sqrt: CT_UNARY_SQRT
        case .rsqrt: CT_UNARY_RSQRT
        case .square: CT_UNARY_SQUARE
        case .reciprocal: CT_UNARY_RECIPROCAL
        case .sign: CT_UNARY_SIGN
        case .floor: CT_UNARY_FLOOR
        case .ceil: CT_UNARY_CEIL
        case .round: CT_UNARY_ROUND
        case .sin: CT_UNARY_SIN
        case .cos: CT_UNARY_COS
        case .relu: CT_UNARY_RELU
        case .relu6: CT_UNARY_RELU6
        case .hardSwish: CT_UNARY_HARDSWISH
        case .hardSigmoid: CT_UNARY_HARDSIGMOID
        case .sigmoid: CT_UNARY_SIGMOID
        case .tanh: CT_UNARY_TANH
        case .gelu: CT_UNARY_GELU
        case .geluTanh: CT_UNARY_GELU_TANH
        case .silu: CT_UNARY_SILU
        }
    }
}

public enum BinaryOp: Sendable {
    case add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge

    var c: ct_binary_op {
        switch self {
        case .add: CT_BINARY_ADD
        case .sub: CT_BINARY_SUB
        case .mul: CT_BINARY_MUL
        case .div: CT_BINARY_DIV
        case .pow: CT_BINARY_POW
        case .maximum: CT_BINARY_MAXIMUM
        case .minimum: CT_BINARY_MINIMUM
        case .eq: CT_BINARY_EQ
        case .ne: CT_BINARY_NE
        case .lt: CT_BINARY_LT
        case .le: CT_BINARY_LE
        case .gt: CT_BINARY_GT
        case .ge: CT_BINARY_GE
        }
    }
}

public enum ReduceOp: Sendable {
    case sum, mean, max, min, prod, logSumExp

    var c: ct_reduce_op {
        switch self {
        case .sum: CT_REDUCE_SUM
        case .mean: CT_REDUCE_MEAN
        case .max: CT_REDUCE_MAX
        case .min: CT_REDUCE_MIN
        case .prod: CT_REDUCE_PROD
        case .logSumExp: CT_REDUCE_LOGSUMEXP
        }
    }
}

extension Tensor {
    public func apply(_ op: UnaryOp) throws -> Tensor {
        try Tensor.call { out, err in ct_unary(&out, handle, op.c, &err) }
    }
    /// Broadcasting elementwise `self op other`.
    public func apply(_ op: BinaryOp, _ other: Tensor) throws -> Tensor {
        try Tensor.call { out, err in ct_binary(&out, handle, other.handle, op.c, &err) }
    }
    public func apply(_ op: BinaryOp, _ scalar: Double) throws -> Tensor {
        try Tensor.call { out, err in ct_binary_scalar(&out, handle, scalar, op.c, &err) }
    }

    public func relu() throws -> Tensor { try apply(.relu) }
    public func relu6() throws -> Tensor { try apply(.relu6) }
    public func hardSwish() throws -> Tensor { try apply(.hardSwish) }
    public func hardSigmoid() throws -> Tensor { try apply(.hardSigmoid) }
    public func sigmoid() throws -> Tensor { try apply(.sigmoid) }
    public func tanh() throws -> Tensor { try apply(.tanh) }
    public func gelu() throws -> Tensor { try apply(.gelu) }
    public func exp() throws -> Tensor { try apply(.exp) }
    public func log() throws -> Tensor { try apply(.log) }
    public func sqrt() throws -> Tensor { try apply(.sqrt) }
    public func abs() throws -> Tensor { try apply(.abs) }
    public func leakyRelu(_ slope: Double = 0.01) throws -> Tensor {
        try Tensor.call { out, err in ct_leaky_relu(&out, handle, slope, &err) }
    }
    public func clamp(min lo: Double? = nil, max hi: Double? = nil) throws -> Tensor {
        try Tensor.call { out, err in ct_clamp(&out, handle, lo ?? 0, hi ?? 0, lo != nil, hi != nil, &err) }
    }

    // MARK: reductions

    /// Reduces over `dims` (all dimensions when empty).
    public func reduce(_ op: ReduceOp, dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        let d = i64(dims)
        return try Tensor.call { out, err in ct_reduce(&out, handle, op.c, d, Int64(d.count), keepDim, &err) }
    }
    public func sum(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.sum, dims: dims, keepDim: keepDim) }
    public func mean(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.mean, dims: dims, keepDim: keepDim) }
    public func max(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.max, dims: dims, keepDim: keepDim) }
    public func min(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.min, dims: dims, keepDim: keepDim) }
    public func logSumExp(dims: [Int], keepDim: Bool = false) throws -> Tensor { try reduce(.logSumExp, dims: dims, keepDim: keepDim) }
    /// Maximum values and their indices along `dim`.
    public func max(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        var values = ct_tensor(ptr: nil), indices = ct_tensor(ptr: nil)
        try Tensor.check { err in ct_max_dim(&values, &indices, handle, Int64(dim), keepDim, &err) }
        return (Tensor(handle: values), Tensor(handle: indices))
    }
    public func argmax(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try Tensor.call { out, err in ct_argmax(&out, handle, Int64(dim), keepDim, &err) }
    }
    /// The p-norm over `dims` (all when empty).
    public func norm(_ p: Double = 2, dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        let d = i64(dims)
        return try Tensor.call { out, err in ct_norm(&out, handle, p, d, Int64(d.count), keepDim, &err) }
    }
    public func softmax(dim: Int) throws -> Tensor { try Tensor.call { out, err in ct_softmax(&out, handle, Int64(dim), &err) } }
    public func logSoftmax(dim: Int) throws -> Tensor {
        try Tensor.call { out, err in ct_log_softmax(&out, handle, Int64(dim), &err) }
    }
    public func matmul(_ other: Tensor) throws -> Tensor {
        try Tensor.call { out, err in ct_matmul(&out, handle, other.handle, &err) }
    }
    public func bmm(_ other: Tensor) throws -> Tensor {
        try Tensor.call { out, err in ct_bmm(&out, handle, other.handle, &err) }
    }
}

// MARK: - operators (broadcasting, throwing: `try a + b * 2`)

public func + (a: Tensor, b: Tensor) throws -> Tensor { try a.apply(.add, b) }
public func - (a: Tensor, b: Tensor) throws -> Tensor { try a.apply(.sub, b) }
public func * (a: Tensor, b: Tensor) throws -> Tensor { try a.apply(.mul, b) }
public func / (a: Tensor, b: Tensor) throws -> Tensor { try a.apply(.div, b) }
public func + (a: Tensor, s: Double) throws -> Tensor { try a.apply(.add, s) }
public func - (a: Tensor, s: Double) throws -> Tensor { try a.apply(.sub, s) }
public func * (a: Tensor, s: Double) throws -> Tensor { try a.apply(.mul, s) }
public func / (a: Tensor, s: Double) throws -> Tensor { try a.apply(.div, s) }
public func + (s: Double, b: Tensor) throws -> Tensor { try b.apply(.add, s) }
public func * (s: Double, b: Tensor) throws -> Tensor { try b.apply(.mul, s) }
public func - (s: Double, b: Tensor) throws -> Tensor {
    try Tensor.call { out, err in ct_scalar_binary(&out, s, b.handle, CT_BINARY_SUB, &err) }
}
public func / (s: Double, b: Tensor) throws -> Tensor {
    try Tensor.call { out, err in ct_scalar_binary(&out, s, b.handle, CT_BINARY_DIV, &err) }
}
public prefix func - (a: Tensor) throws -> Tensor { try a.apply(.neg) }
