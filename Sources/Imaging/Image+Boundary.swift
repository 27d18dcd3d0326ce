internal import CVision

// The two halves of every wrapper: lend our pixels to C, adopt the image C returns.
extension Image {
    /// Lends the pixels as a borrowed `cv_image_view` for the duration of `body`.
    func withView<R>(_ body: (cv_image_view) throws -> R) rethrows -> R {
        try pixels.withUnsafeBufferPointer { buffer in
            try body(cv_image_view(data: buffer.baseAddress, height: Int32(height), width: Int32(width),
                                   channels: Int32(channels)))
        }
    }

    /// Lends the pixels as a `cv_image_mut` the C side draws into.
    mutating func withMutableView<R>(_ body: (cv_image_mut) throws -> R) rethrows -> R {
        let (w, h, c) = (Int32(width), Int32(height), Int32(channels))
        return try pixels.withUnsafeMutableBufferPointer { buffer in
            try body(cv_image_mut(data: buffer.baseAddress, height: h, width: w, channels: c))
        }
    }

    /// Runs one C entry point that returns an image (+1), copies it into Swift and frees it.
    /// `order` says what the returned channels mean; nil derives it from the channel count
    /// (1 gray, 3 BGR, 4 BGRA), for decoding as stored.
    static func call(order: ColorOrder?, _ body: (inout cv_image, inout cv_error) -> Int32) throws -> Image {
        var out = cv_image()
        var err = cv_error()
        try ImagingError.check(body(&out, &err), &err)
        defer { cv_image_free(&out) }
        let (w, h, c) = (Int(out.width), Int(out.height), Int(out.channels))
        let resolved: ColorOrder
        switch (order, c) {
        case let (order?, c) where order.channels == c: resolved = order
        case (nil, 1): resolved = .gray
        case (nil, 3): resolved = .bgr
        case (nil, 4): resolved = .bgra
        default:
            throw ImagingError(.internal, "CVision returned \(c) channels, expected \(order.map { "\($0)" } ?? "1, 3 or 4")")
        }
        let pixels = [UInt8](UnsafeBufferPointer(start: out.data, count: w * h * c))
        return try Image(width: w, height: h, colorOrder: resolved, pixels: pixels)
    }
}

/// A per-channel value for C: one value is repeated on every channel (cv::Scalar(v) alone would
/// set only the first), otherwise one per channel in the image's own order.
func cScalar(_ values: [Double], channels: Int, what: String) throws -> cv_scalar {
    guard values.count == 1 || values.count == channels else {
        throw ImagingError(.invalidArgument, "\(what): needs 1 or \(channels) values, got \(values.count)")
    }
    let v = values.count == 1 ? [Double](repeating: values[0], count: 4) : values + [Double](repeating: 0, count: 4 - values.count)
    return cv_scalar(v: (v[0], v[1], v[2], v[3]))
}
