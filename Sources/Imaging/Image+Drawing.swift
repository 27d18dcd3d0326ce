internal import CVision

// Drawing polygons in place: label maps for DB training, visualisations. `value` is 1 number for
// every channel, or one per channel in the image's order.
extension Image {
    /// Fills each polygon (>= 1 point each) with `value`; points outside the image are clipped.
    public mutating func fillPoly(_ polygons: [[Point2i]], value: [Double], lineType: LineType = .connected8) throws {
        let scalar = try cScalar(value, channels: channels, what: "fill_poly value")
        try withPackedPolygons(polygons) { points, lengths, count in
            var err = cv_error()
            try ImagingError.check(withMutableView {
                cv_fill_poly($0, points, lengths, count, scalar, lineType.c, &err)
            }, &err)
        }
    }

    /// Draws polygon outlines `thickness` pixels wide, closing each when `closed`.
    public mutating func polylines(_ polygons: [[Point2i]], closed: Bool = true, value: [Double], thickness: Int = 1,
                                   lineType: LineType = .connected8) throws {
        let scalar = try cScalar(value, channels: channels, what: "polylines value")
        try withPackedPolygons(polygons) { points, lengths, count in
            var err = cv_error()
            try ImagingError.check(withMutableView {
                cv_polylines($0, points, lengths, count, closed ? 1 : 0, scalar, Int32(clamping: thickness),
                             lineType.c, &err)
            }, &err)
        }
    }
}

/// Packs polygons end to end as cv_fill_poly / cv_polylines take them.
private func withPackedPolygons<R>(
    _ polygons: [[Point2i]],
    _ body: (UnsafePointer<cv_point2i>?, UnsafePointer<Int32>?, Int32) throws -> R
) rethrows -> R {
    let points = polygons.flatMap { $0.map { cv_point2i(x: Int32(clamping: $0.x), y: Int32(clamping: $0.y)) } }
    let lengths = polygons.map { Int32(clamping: $0.count) }
    return try points.withUnsafeBufferPointer { p in
        try lengths.withUnsafeBufferPointer { l in try body(p.baseAddress, l.baseAddress, Int32(clamping: lengths.count)) }
    }
}
