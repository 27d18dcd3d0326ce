/// A rectangle rotated about its center (OpenCV's RotatedRect).
public struct RotatedRect: Sendable, Hashable {
    public var center: Point2f
    public var width: Float
    public var height: Float
    /// Degrees, clockwise in image coordinates (y down). `minAreaRect` results follow OpenCV
    /// >= 4.5.1: angle in (0, 90], width along the edge at that angle.
    public var angle: Float

    public init(center: Point2f, width: Float, height: Float, angle: Float) {
        self.center = center
        self.width = width
        self.height = height
        self.angle = angle
    }
}
