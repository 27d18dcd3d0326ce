import CTorch

/// Stateless layer functions, as torch.nn.functional. Modules in `NN` call these.
public enum F {
    /// `x`: N x C x H x W, `weight`: O x C/groups x kH x kW. Pairs are (height, width).
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                              padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
        let s = [Int64(stride.0), Int64(stride.1)], p = [Int64(padding.0), Int64(padding.1)]
        let d = [Int64(dilation.0), Int64(dilation.1)]
        return try Tensor.call { out, err in
            ct_conv2d(&out, x.handle, weight.handle, bias?.handle ?? ct_tensor(ptr: nil), s, p, d, Int64(groups), &err)
        }
    }

    /// `weight`: C x O/groups x kH x kW (output channels on axis 1, as in PyTorch).
    public static func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                                       padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0),
                                       dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
        let s = [Int64(stride.0), Int64(stride.1)], p = [Int64(padding.0), Int64(padding.1)]
        let op = [Int64(outputPadding.0), Int64(outputPadding.1)], d = [Int64(dilation.0), Int64(dilation.1)]
        return try Tensor.call { out, err in
            ct_conv_transpose2d(&out, x.handle, weight.handle, bias?.handle ?? ct_tensor(ptr: nil), s, p, op, d,
                                Int64(groups), &err)
        }
    }

    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        try Tensor.call { out, err in ct_linear(&out, x.handle, weight.handle, bias?.handle ?? ct_tensor(ptr: nil), &err) }
    }

    /// In training mode the running statistics are updated in place (PyTorch's momentum convention).
    public static func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                                 training: Bool, momentum: Double = 0.1, eps: Double = 1e-5) throws -> Tensor {
        let none = ct_tensor(ptr: nil)
        return try Tensor.call { out, err in
            ct_batch_norm(&out, x.handle, weight?.handle ?? none, bias?.handle ?? none, runningMean?.handle ?? none,
                          runningVar?.handle ?? none, training, momentum, eps, &err)
        }
    }

    public static func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
        let s = i64(normalizedShape), none = ct_tensor(ptr: nil)
        return try Tensor.call { out, err in
            ct_layer_norm(&out, x.handle, s, Int64(s.count), weight?.handle ?? none, bias?.handle ?? none, eps, &err)
        }
    }

    public static func dropout(_ x: Tensor, p: Double, training: Bool) throws -> Tensor {
        try Tensor.call { out, err in ct_dropout(&out, x.handle, p, training, &err) }
    }

    public static func maxPool2d(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                                 dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) throws -> Tensor {
        let k = [Int64(kernel.0), Int64(kernel.1)], st = stride ?? kernel
        let s = [Int64(st.0), Int64(st.1)], p = [Int64(padding.0), Int64(padding.1)], d = [Int64(dilation.0), Int64(dilation.1)]
        return try Tensor.call { out, err in ct_max_pool2d(&out, x.handle, k, s, p, d, ceilMode, &err) }
    }

    public static func avgPool2d(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                                 ceilMode: Bool = false, countIncludePad: Bool = true) throws -> Tensor {
        let k = [Int64(kernel.0), Int64(kernel.1)], st = stride ?? kernel
        let s = [Int64(st.0), Int64(st.1)], p = [Int64(padding.0), Int64(padding.1)]
        return try Tensor.call { out, err in ct_avg_pool2d(&out, x.handle, k, s, p, ceilMode, countIncludePad, &err) }
    }

    public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) throws -> Tensor {
        let o = [Int64(outputSize.0), Int64(outputSize.1)]
        return try Tensor.call { out, err in ct_adaptive_avg_pool2d(&out, x.handle, o, &err) }
    }

    public static func adaptiveMaxPool2d(_ x: Tensor, outputSize: (Int, Int)) throws -> Tensor {
        let o = [Int64(outputSize.0), Int64(outputSize.1)]
        return try Tensor.call { out, err in ct_adaptive_max_pool2d(&out, x.handle, o, &err) }
    }

    public enum InterpolationMode: Sendable { case nearest, bilinear }

    /// Resizes N x C x H x W to `size` (height, width).
    public static func interpolate(_ x: Tensor, size: (Int, Int), mode: InterpolationMode = .nearest,
                                   alignCorners: Bool = false) throws -> Tensor {
        let s = [Int64(size.0), Int64(size.1)]
        let m = mode == .nearest ? CT_INTERP_NEAREST : CT_INTERP_BILINEAR
        return try Tensor.call { out, err in ct_interpolate(&out, x.handle, s, m, alignCorners, &err) }
    }

    /// Multi-layer (bi)LSTM. `params`: per layer and direction w_ih, w_hh, b_ih, b_hh (PyTorch's order).
    public static func lstm(_ x: Tensor, params: [Tensor], hasBiases: Bool = true, layers: Int, dropout: Double = 0,
                            training: Bool, bidirectional: Bool, batchFirst: Bool,
                            h0: Tensor? = nil, c0: Tensor? = nil) throws -> (output: Tensor, h: Tensor, c: Tensor) {
        var o = ct_tensor(ptr: nil), h = ct_tensor(ptr: nil), c = ct_tensor(ptr: nil)
        let hs = params.map(\.handle), none = ct_tensor(ptr: nil)
        try withExtendedLifetime(params) {
            try Tensor.check { err in
                ct_lstm(&o, &h, &c, x.handle, h0?.handle ?? none, c0?.handle ?? none, hs, Int64(hs.count), hasBiases,
                        Int64(layers), dropout, training, bidirectional, batchFirst, &err)
            }
        }
        return (Tensor(handle: o), Tensor(handle: h), Tensor(handle: c))
    }
}
