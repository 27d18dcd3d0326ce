/// A point with float coordinates (OpenCV's Point2f): polygon geometry, rotated rectangles.
public struct Point2f: Sendable, Hashable {
    public var x: Float
    public var y: Float

    public init(x: Float, y: Float) {
        self.x = x
        self.y = y
    }

    public init(_ x: Float, _ y: Float) {
        self.init(x: x, y: y)
    }

    /// The same pixel position as a float point (exact).
    public init(_ p: Point2i) {
        self.init(x: Float(p.x), y: Float(p.y))
    }
}
