internal import CVision

// Polygon geometry on plain point arrays, named after the OpenCV functions they wrap so ported
// PaddleOCR post-processing reads the same.

/// Shoelace area of a polygon (>= 1 point); signed by orientation when `oriented`.
public func contourArea(_ points: [Point2f], oriented: Bool = false) throws -> Double {
    try callGeometry(points) { p, n, err in
        var area = 0.0
        return (cv_contour_area(&area, p, n, oriented ? 1 : 0, &err), area)
    }
}

/// Perimeter of a curve (>= 1 point).
public func arcLength(_ points: [Point2f], closed: Bool) throws -> Double {
    try callGeometry(points) { p, n, err in
        var length = 0.0
        return (cv_arc_length(&length, p, n, closed ? 1 : 0, &err), length)
    }
}

/// The smallest rotated rectangle around the points (>= 1, finite).
public func minAreaRect(_ points: [Point2f]) throws -> RotatedRect {
    try callGeometry(points) { p, n, err in
        var r = cv_rotated_rect()
        let status = cv_min_area_rect(&r, p, n, &err)
        return (status, RotatedRect(center: Point2f(r.center.x, r.center.y), width: r.width, height: r.height,
                                    angle: r.angle))
    }
}

/// The rectangle's 4 corners, ordered as `cv2.boxPoints`: bottom-left, top-left, top-right,
/// bottom-right (before rotation).
public func boxPoints(_ rect: RotatedRect) throws -> [Point2f] {
    var corners = [cv_point2f](repeating: cv_point2f(), count: 4)
    var err = cv_error()
    let r = cv_rotated_rect(center: cv_point2f(x: rect.center.x, y: rect.center.y), width: rect.width,
                            height: rect.height, angle: rect.angle)
    try ImagingError.check(cv_box_points(&corners, r, &err), &err)
    return corners.map { Point2f($0.x, $0.y) }
}

/// The row-major 3x3 homography taking 4 `source` points onto 4 `destination` points.
public func perspectiveTransform(from source: [Point2f], to destination: [Point2f]) throws -> [Double] {
    try solveTransform(source, destination, values: 9, cv_get_perspective_transform)
}

/// The row-major 2x3 affine matrix taking 3 `source` points onto 3 `destination` points.
public func affineTransform(from source: [Point2f], to destination: [Point2f]) throws -> [Double] {
    try solveTransform(source, destination, values: 6, cv_get_affine_transform)
}

private func cPoints(_ points: [Point2f]) -> [cv_point2f] { points.map { cv_point2f(x: $0.x, y: $0.y) } }

/// Lends points to one C geometry call that returns (status, value).
private func callGeometry<R>(
    _ points: [Point2f],
    _ body: (UnsafePointer<cv_point2f>?, Int32, inout cv_error) -> (Int32, R)
) throws -> R {
    var err = cv_error()
    let (status, value) = cPoints(points).withUnsafeBufferPointer { body($0.baseAddress, Int32(clamping: $0.count), &err) }
    try ImagingError.check(status, &err)
    return value
}

private func solveTransform(
    _ source: [Point2f], _ destination: [Point2f], values: Int,
    _ solve: (UnsafeMutablePointer<Double>?, UnsafePointer<cv_point2f>?, Int32, UnsafePointer<cv_point2f>?, Int32,
              UnsafeMutablePointer<cv_error>?) -> Int32
) throws -> [Double] {
    var matrix = [Double](repeating: 0, count: values)
    var err = cv_error()
    let (s, d) = (cPoints(source), cPoints(destination))
    let status = s.withUnsafeBufferPointer { sp in
        d.withUnsafeBufferPointer { dp in
            solve(&matrix, sp.baseAddress, Int32(clamping: sp.count), dp.baseAddress, Int32(clamping: dp.count), &err)
        }
    }
    try ImagingError.check(status, &err)
    return matrix
}
