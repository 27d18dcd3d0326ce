import CTorch

extension Tensor {
    public func reshape(_ shape: [Int]) throws -> Tensor {
        let s = i64(shape)
        return try Tensor.call { out, err in ct_reshape(&out, handle, s, Int64(s.count), &err) }
    }
    public func permute(_ dims: [Int]) throws -> Tensor {
        let d = i64(dims)
        return try Tensor.call { out, err in ct_permute(&out, handle, d, Int64(d.count), &err) }
    }
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        try Tensor.call { out, err in ct_transpose(&out, handle, Int64(dim0), Int64(dim1), &err) }
    }
    /// A view of `length` entries of `dim` from `start`.
    public func narrow(_ dim: Int, start: Int, length: Int) throws -> Tensor {
        try Tensor.call { out, err in ct_narrow(&out, handle, Int64(dim), Int64(start), Int64(length), &err) }
    }
    /// A view of `dim` from `start` up to (not including) `end`, every `step`. Negative indices count from the end.
    public func slice(_ dim: Int, _ start: Int, _ end: Int, step: Int = 1) throws -> Tensor {
        try Tensor.call { out, err in ct_slice(&out, handle, Int64(dim), Int64(start), Int64(end), Int64(step), &err) }
    }
    public func indexSelect(_ dim: Int, _ index: Tensor) throws -> Tensor {
        try Tensor.call { out, err in ct_index_select(&out, handle, Int64(dim), index.handle, &err) }
    }
    public func gather(_ dim: Int, _ index: Tensor) throws -> Tensor {
        try Tensor.call { out, err in ct_gather(&out, handle, Int64(dim), index.handle, &err) }
    }
    /// Removes `dim` when it has size 1; without a dim, every size-1 dimension.
    public func squeeze(_ dim: Int? = nil) throws -> Tensor {
        if let dim { return try Tensor.call { out, err in ct_squeeze(&out, handle, Int64(dim), &err) } }
        return try Tensor.call { out, err in ct_squeeze_all(&out, handle, &err) }
    }
    public func unsqueeze(_ dim: Int) throws -> Tensor {
        try Tensor.call { out, err in ct_unsqueeze(&out, handle, Int64(dim), &err) }
    }
    public func expand(_ shape: [Int]) throws -> Tensor {
        let s = i64(shape)
        return try Tensor.call { out, err in ct_expand(&out, handle, s, Int64(s.count), &err) }
    }
    public func contiguous() throws -> Tensor { try Tensor.call { out, err in ct_contiguous(&out, handle, &err) } }
    /// Flattens dimensions `start...end` into one.
    public func flatten(_ start: Int = 0, _ end: Int = -1) throws -> Tensor {
        let s = shape
        let a = start < 0 ? start + s.count : start, b = end < 0 ? end + s.count : end
        guard a <= b, b < s.count else { throw TorchError("flatten(input=\(s)): bad range \(start)...\(end)") }
        return try reshape(Array(s[..<a]) + [s[a...b].reduce(1, *)] + Array(s[(b + 1)...]))
    }

    public enum PadMode { case constant(Double), reflect, replicate }
    /// `pads` as in torch.nn.functional.pad: (left, right, top, bottom, ...), last dimension first.
    public func pad(_ pads: [Int], mode: PadMode = .constant(0)) throws -> Tensor {
        let p = i64(pads)
        let (m, v): (ct_pad_mode, Double) = switch mode {
        case .constant(let v): (CT_PAD_CONSTANT, v)
        case .reflect: (CT_PAD_REFLECT, 0)
        case .replicate: (CT_PAD_REPLICATE, 0)
        }
        return try Tensor.call { out, err in ct_pad(&out, handle, p, Int64(p.count), m, v, &err) }
    }

    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        let hs = tensors.map(\.handle)
        return try withExtendedLifetime(tensors) {
            try call { out, err in ct_cat(&out, hs, Int64(hs.count), Int64(dim), &err) }
        }
    }
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        let hs = tensors.map(\.handle)
        return try withExtendedLifetime(tensors) {
            try call { out, err in ct_stack(&out, hs, Int64(hs.count), Int64(dim), &err) }
        }
    }
    /// Elementwise `condition ? a : b`.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        try call { out, err in ct_where(&out, condition.handle, a.handle, b.handle, &err) }
    }
}
