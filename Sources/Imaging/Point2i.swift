/// A pixel position (OpenCV's Point): contours found in a map, polygons drawn into one.
public struct Point2i: Sendable, Hashable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public init(_ x: Int, _ y: Int) {
        self.init(x: x, y: y)
    }

    /// The nearest pixel (halves away from zero); nil when a coordinate is not finite or does
    /// not fit an Int. PaddleOCR's `astype(np.int32)` truncates instead (`.towardZero`).
    public init?(rounding p: Point2f, _ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        guard let x = Int(exactly: p.x.rounded(rule)), let y = Int(exactly: p.y.rounded(rule)) else { return nil }
        self.init(x: x, y: y)
    }
}
