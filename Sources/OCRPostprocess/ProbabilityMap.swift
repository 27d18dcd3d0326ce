import Imaging

/// A detector's probability map (row-major floats) and the two things DB post-processing asks
/// of it: a binary map to find contours in, and the mean probability under a polygon.
struct ProbabilityMap {
    let values: [Float]
    let width: Int
    let height: Int

    /// 255 where the probability is above `threshold`, else 0; with `dilate`, grown by OpenCV's
    /// 2x2 dilation (anchor at the kernel's centre (1, 1): each pixel takes the maximum of
    /// itself and its left, upper and upper-left neighbours).
    func binarised(above threshold: Float, dilate: Bool) throws -> Image {
        var bits = [UInt8](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { v in
            bits.withUnsafeMutableBufferPointer { b in
                for i in 0..<v.count where v[i] > threshold { b[i] = 255 }
            }
        }
        if dilate {
            let src = bits
            for y in 0..<height {
                for x in 0..<width where src[y * width + x] == 0 {
                    let left = x > 0 && src[y * width + x - 1] != 0
                    let up = y > 0 && (src[(y - 1) * width + x] != 0 || (x > 0 && src[(y - 1) * width + x - 1] != 0))
                    if left || up { bits[y * width + x] = 255 }
                }
            }
        }
        return try Image(width: width, height: height, colorOrder: .gray, pixels: bits)
    }

    /// PaddleOCR's `box_score_fast`: the mean over the pixels `cv2.fillPoly` sets for the
    /// polygon (coordinates truncated toward zero after shifting into the bounding rectangle,
    /// which is clipped to the map). 0 when no pixel is covered.
    func meanInside(_ polygon: [Point2f]) throws -> Double {
        let xs = polygon.map(\.x), ys = polygon.map(\.y)
        let x0 = clamp(Int(xs.min()!.rounded(.down)), width), x1 = clamp(Int(xs.max()!.rounded(.up)), width)
        let y0 = clamp(Int(ys.min()!.rounded(.down)), height), y1 = clamp(Int(ys.max()!.rounded(.up)), height)
        let shifted = polygon.map { Point2i(x: Int($0.x - Float(x0)), y: Int($0.y - Float(y0))) }
        return try mean(x0: x0, y0: y0, x1: x1, y1: y1, polygon: shifted)
    }

    /// PaddleOCR's `box_score_slow`: the mean inside the contour itself.
    func meanInside(contour: [Point2i]) throws -> Double {
        let x0 = clamp(contour.map(\.x).min()!, width), x1 = clamp(contour.map(\.x).max()!, width)
        let y0 = clamp(contour.map(\.y).min()!, height), y1 = clamp(contour.map(\.y).max()!, height)
        return try mean(x0: x0, y0: y0, x1: x1, y1: y1, polygon: contour.map { Point2i(x: $0.x - x0, y: $0.y - y0) })
    }

    /// Fills `polygon` (relative to (x0, y0)) into a mask over [x0, x1] x [y0, y1] and averages
    /// the map under it - `cv2.mean(map[y0:y1+1, x0:x1+1], mask)`.
    private func mean(x0: Int, y0: Int, x1: Int, y1: Int, polygon: [Point2i]) throws -> Double {
        let w = x1 - x0 + 1, h = y1 - y0 + 1
        var mask = try Image(width: w, height: h, colorOrder: .gray)
        try mask.fillPoly([polygon], value: [1])
        var sum = 0.0, n = 0
        mask.pixels.withUnsafeBufferPointer { m in
            values.withUnsafeBufferPointer { v in
                for y in 0..<h {
                    let row = (y0 + y) * width + x0
                    for x in 0..<w where m[y * w + x] != 0 {
                        sum += Double(v[row + x])
                        n += 1
                    }
                }
            }
        }
        return n == 0 ? 0 : sum / Double(n)
    }

    private func clamp(_ v: Int, _ size: Int) -> Int { min(max(v, 0), size - 1) }
}
