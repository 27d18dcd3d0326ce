/// A 2-D point in image pixel coordinates (x right, y down), as in PaddleOCR boxes.
public struct Point: Hashable, Sendable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    public init(x: Double, y: Double) { self.x = x; self.y = y }

    public static func + (a: Point, b: Point) -> Point { Point(a.x + b.x, a.y + b.y) }
    public static func - (a: Point, b: Point) -> Point { Point(a.x - b.x, a.y - b.y) }
    public static func * (a: Point, s: Double) -> Point { Point(a.x * s, a.y * s) }

    /// z-component of the 2-D cross product; > 0 when `b` turns counter-clockwise from `self`
    /// in a y-up frame (clockwise on screen, where y points down).
    public func cross(_ b: Point) -> Double { x * b.y - y * b.x }
    public func dot(_ b: Point) -> Double { x * b.x + y * b.y }
    public var length: Double { (x * x + y * y).squareRoot() }
    public func distance(to b: Point) -> Double { (self - b).length }

    public var description: String { "(\(x), \(y))" }

    // Encoded as [x, y], the form PaddleOCR label files and the serving API use.
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        x = try c.decode(Double.self)
        y = try c.decode(Double.self)
        guard c.isAtEnd else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a point is [x, y]; found more than two numbers")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(x)
        try c.encode(y)
    }
}
