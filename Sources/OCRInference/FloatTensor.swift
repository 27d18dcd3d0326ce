/// A float32 tensor on the host: values in row-major order and the shape they have.
/// What `InferenceSession.run` takes and returns.
public struct FloatTensor: Sendable, Equatable {
    public var values: [Float]
    public var shape: [Int]

    /// Throws unless `values.count` is the product of `shape` (all dimensions >= 0).
    public init(_ values: [Float], shape: [Int]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), values.count == shape.reduce(1, *) else {
            throw InferenceError(.invalidInput, "tensor: \(values.count) values do not fill shape \(shape)")
        }
        self.values = values
        self.shape = shape
    }

    /// For values already known to fill `shape` (the session's outputs).
    init(unchecked values: [Float], shape: [Int]) {
        self.values = values
        self.shape = shape
    }
}
