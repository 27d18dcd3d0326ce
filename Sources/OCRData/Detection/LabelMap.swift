/// A label map and its mask, `height` x `width` floats row-major: what DB's loss reads.
public struct LabelMap: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var map: [Float]
    /// 1 where the loss counts a pixel, 0 where it ignores it.
    public var mask: [Float]

    public subscript(x x: Int, y y: Int) -> Float { map[y * width + x] }
    public func mask(x: Int, y: Int) -> Float { mask[y * width + x] }
}
