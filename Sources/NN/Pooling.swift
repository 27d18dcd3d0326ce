import Torch

/// Max pooling; `stride` defaults to the kernel.
public final class MaxPool2d: Module, UnaryLayer {
    public let kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), ceilMode: Bool

    public init(_ path: Path, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), ceilMode: Bool = false) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.ceilMode = ceilMode
        super.init(path)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.maxPool2d(x, kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("kernel", .ints([kernel.0, kernel.1])), ("stride", .ints([stride.0, stride.1])),
         ("padding", .ints([padding.0, padding.1])), ("ceil_mode", .bool(ceilMode))]
    }
}

/// Average pooling; `stride` defaults to the kernel.
public final class AvgPool2d: Module, UnaryLayer {
    public let kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), ceilMode: Bool, countIncludePad: Bool

    public init(_ path: Path, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                ceilMode: Bool = false, countIncludePad: Bool = true) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        super.init(path)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.avgPool2d(x, kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode,
                        countIncludePad: countIncludePad)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("kernel", .ints([kernel.0, kernel.1])), ("stride", .ints([stride.0, stride.1])),
         ("padding", .ints([padding.0, padding.1])), ("ceil_mode", .bool(ceilMode)),
         ("count_include_pad", .bool(countIncludePad))]
    }
}

/// Adaptive average pooling to a fixed (height, width), e.g. (1, 1) for squeeze-excitation.
public final class AdaptiveAvgPool2d: Module, UnaryLayer {
    public let outputSize: (Int, Int)

    public init(_ path: Path, outputSize: (Int, Int)) {
        self.outputSize = outputSize
        super.init(path)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try F.adaptiveAvgPool2d(x, outputSize: outputSize) }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("output_size", .ints([outputSize.0, outputSize.1]))]
    }
}
