/// How a module tree is written to ONNX.
public struct ExportOptions: Sendable, Equatable {
    /// Fold each `ConvBNLayer`'s BatchNorm (eval statistics) into its convolution's weight and
    /// bias: one Conv instead of Conv + BatchNormalization, same function. The folded tensors keep
    /// the conv's parameter paths, with a doc string saying what was folded in.
    public var foldBatchNorm = true

    public init(foldBatchNorm: Bool = true) {
        self.foldBatchNorm = foldBatchNorm
    }
}
