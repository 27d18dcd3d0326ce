import Imaging

// TIA ("Learn to Augment", Luo et al. 2020; PaddleOCR `tia_distort/stretch/perspective`).
//
// PaddleOCR moves control points on the top and bottom edges at a few column positions and
// warps with moving least squares. Here each strip between two adjacent columns is warped by
// the homography that takes its source quad onto its moved quad (OpenCV `warpPerspective`), and
// each output pixel is taken from the strip whose moved column lines enclose it. Inside the
// quads this is piecewise-projective (continuous across strip borders, since neighbouring
// homographies agree on their shared edge); outside them the strips' mappings extrapolate and
// the source border is replicated, much as MLS extrapolates and clips.
extension RecAugment {
    /// Every control point moves: corners inward, column points both ways.
    func tiaDistort(_ img: Image, segments: Int, rng: inout SplitMix64) throws -> Image {
        let (w, h) = (img.width, img.height)
        let cut = w / segments
        let thresh = max(1, cut / 3)
        let threshY = max(1, min(thresh, Int(Double(h) * tiaMaxVerticalShift)))
        let halfX = Double(thresh) / 2, halfY = Double(threshY) / 2
        func rx() -> Double { Double(rng.nextInt(below: thresh)) }
        func ry() -> Double { Double(rng.nextInt(below: threshY)) }
        let (W, H) = (Double(w), Double(h))
        var columns = [0.0]
        var top = [Point2f(Float(rx()), Float(ry()))]
        var bottom = [Point2f(Float(rx()), Float(H - ry()))]
        for k in 1..<segments {
            let x = Double(cut * k)
            columns.append(x)
            top.append(Point2f(Float(x + rx() - halfX), Float(ry() - halfY)))
            bottom.append(Point2f(Float(x + rx() - halfX), Float(H + ry() - halfY)))
        }
        columns.append(W)
        top.append(Point2f(Float(W - rx()), Float(ry())))
        bottom.append(Point2f(Float(W - rx()), Float(H - ry())))
        return try piecewiseWarp(img, columns: columns, top: top, bottom: bottom)
    }

    /// Only interior columns move, sideways: letters get wider or narrower.
    func tiaStretch(_ img: Image, segments: Int, rng: inout SplitMix64) throws -> Image {
        let (w, h) = (img.width, img.height)
        let cut = w / segments
        let thresh = max(1, cut * 4 / 5)
        let (W, H) = (Double(w), Float(h))
        var columns = [0.0]
        var top = [Point2f(0, 0)]
        var bottom = [Point2f(0, H)]
        for k in 1..<segments {
            let x = Double(cut * k)
            let move = Double(rng.nextInt(below: thresh)) - Double(thresh) / 2
            columns.append(x)
            top.append(Point2f(Float(x + move), 0))
            bottom.append(Point2f(Float(x + move), H))
        }
        columns.append(W)
        top.append(Point2f(Float(W), 0))
        bottom.append(Point2f(Float(W), H))
        return try piecewiseWarp(img, columns: columns, top: top, bottom: bottom)
    }

    /// The four corners move vertically by up to half the height: a tilt in depth.
    func tiaPerspective(_ img: Image, rng: inout SplitMix64) throws -> Image {
        let (w, h) = (Float(img.width), Float(img.height))
        let thresh = img.height / 2
        guard thresh >= 1 else { return img }
        func r() -> Float { Float(rng.nextInt(below: thresh)) }
        let src = [Point2f(0, 0), Point2f(w, 0), Point2f(w, h), Point2f(0, h)]
        let dst = [Point2f(0, r()), Point2f(w, r()), Point2f(w, h - r()), Point2f(0, h - r())]
        let m = try perspectiveTransform(from: src, to: dst)
        return try img.warpedPerspective(matrix: m, interpolation: .linear, border: .replicate)
    }

    /// Warps strip j (source x in columns[j]...columns[j+1], full height) onto the quad
    /// top[j], top[j+1], bottom[j+1], bottom[j]; output pixels belong to the strip between the
    /// moved column lines (the first and last strips extend to the image edges).
    func piecewiseWarp(_ img: Image, columns: [Double], top: [Point2f], bottom: [Point2f]) throws -> Image {
        let (w, h, c) = (img.width, img.height, img.channels)
        let strips = columns.count - 1
        // x of moved column line k at height y (lines through top[k] and bottom[k]).
        func lineX(_ k: Int, _ y: Double) -> Double {
            let (t, b) = (top[k], bottom[k])
            let dy = Double(b.y - t.y)
            guard abs(dy) > 1e-6 else { return Double(t.x) }
            return Double(t.x) + Double(b.x - t.x) * (y - Double(t.y)) / dy
        }
        var out = [UInt8](repeating: 0, count: w * h * c)
        for j in 0..<strips {
            // The strip's output columns over all rows: its lines are straight, so the extremes
            // are at the top and bottom rows.
            let left = j == 0 ? 0 : Int(min(lineX(j, 0), lineX(j, Double(h))).rounded(.down))
            let right = j == strips - 1 ? w : Int(max(lineX(j + 1, 0), lineX(j + 1, Double(h))).rounded(.up)) + 1
            let x0 = max(0, min(w, left)), x1 = max(0, min(w, right))
            guard x1 > x0 else { continue }
            // Solved in strip-local coordinates (source x - columns[j], output x - x0): a
            // homography must map the origin to a finite point (h33 = 1), and the strip's own
            // corner always does, while the image origin can lie on the vanishing line.
            let cw = Float(columns[j + 1] - columns[j]), fx0 = Float(x0)
            let src = [Point2f(0, 0), Point2f(cw, 0), Point2f(cw, Float(h)), Point2f(0, Float(h))]
            let dst = [top[j], top[j + 1], bottom[j + 1], bottom[j]].map { Point2f($0.x - fx0, $0.y) }
            var m = try perspectiveTransform(from: src, to: dst)
            // Back to image source coordinates: M = H * translate(-columns[j]).
            for r in 0..<3 { m[r * 3 + 2] -= columns[j] * m[r * 3] }
            let part = try img.warpedPerspective(matrix: m, width: x1 - x0, height: h, interpolation: .linear,
                                                 border: .replicate)
            let pw = x1 - x0
            part.pixels.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { o in
                    for y in 0..<h {
                        let yc = Double(y) + 0.5
                        // Pixel x is in the strip when its centre x + 0.5 lies in [lineX(j), lineX(j+1)).
                        let from = j == 0 ? 0 : Int((lineX(j, yc) - 0.5).rounded(.up))
                        let to = j == strips - 1 ? w : Int((lineX(j + 1, yc) - 0.5).rounded(.up))
                        let a = max(from, x0), b = min(to, x1)
                        guard b > a else { continue }
                        (o.baseAddress! + (y * w + a) * c).update(from: p.baseAddress! + (y * pw + a - x0) * c,
                                                                  count: (b - a) * c)
                    }
                }
            }
        }
        return try Image(width: w, height: h, colorOrder: img.colorOrder, pixels: out)
    }
}
