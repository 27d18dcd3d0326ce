/// An axis-aligned rectangle, min corner inclusive (pixel coordinates, y down).
public struct BoundingBox: Hashable, Sendable, Codable, CustomStringConvertible {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    /// The smallest box holding `points`; nil when there are none.
    public init?<S: Sequence>(enclosing points: S) where S.Element == Point {
        var it = points.makeIterator()
        guard let first = it.next() else { return nil }
        var b = BoundingBox(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let p = it.next() {
            b.minX = min(b.minX, p.x); b.minY = min(b.minY, p.y)
            b.maxX = max(b.maxX, p.x); b.maxY = max(b.maxY, p.y)
        }
        self = b
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var area: Double { max(0, width) * max(0, height) }

    /// Corners clockwise on screen from the top-left: TL, TR, BR, BL.
    public var corners: [Point] { [Point(minX, minY), Point(maxX, minY), Point(maxX, maxY), Point(minX, maxY)] }

    /// Overlap with `other`, or nil when they do not overlap with positive area.
    public func intersection(_ other: BoundingBox) -> BoundingBox? {
        let b = BoundingBox(minX: max(minX, other.minX), minY: max(minY, other.minY),
                            maxX: min(maxX, other.maxX), maxY: min(maxY, other.maxY))
        return b.width > 0 && b.height > 0 ? b : nil
    }

    public var description: String { "[\(minX), \(minY) - \(maxX), \(maxY)]" }
}
