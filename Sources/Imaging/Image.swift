/// An 8-bit image, pixels packed row-major HWC (`pixels[(y * width + x) * channels + c]`).
///
/// A plain value: copying is cheap until one copy is drawn into (copy-on-write of `pixels`).
/// Every OpenCV operation lives in an extension (`Image+Codec.swift`, `Image+Transform.swift`, ...)
/// and goes through the CVision C boundary.
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// What each pixel's channels mean; it fixes `channels`.
    public let colorOrder: ColorOrder
    /// `height * width * channels` bytes.
    public internal(set) var pixels: [UInt8]

    public var channels: Int { colorOrder.channels }

    /// Wraps existing pixels; throws if their count is not `width * height * channels`.
    public init(width: Int, height: Int, colorOrder: ColorOrder, pixels: [UInt8]) throws {
        try Image.checkSize(width: width, height: height, channels: colorOrder.channels)
        guard pixels.count == width * height * colorOrder.channels else {
            throw ImagingError(.invalidArgument, "image: \(width)x\(height) \(colorOrder) needs "
                + "\(width * height * colorOrder.channels) bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.colorOrder = colorOrder
        self.pixels = pixels
    }

    /// A blank image, every byte `value` (a mask or map to draw into).
    public init(width: Int, height: Int, colorOrder: ColorOrder = .gray, repeating value: UInt8 = 0) throws {
        try Image.checkSize(width: width, height: height, channels: colorOrder.channels)
        try self.init(width: width, height: height, colorOrder: colorOrder,
                      pixels: [UInt8](repeating: value, count: width * height * colorOrder.channels))
    }

    /// The byte at column `x`, row `y`, channel `channel` (traps out of range, like an array).
    public subscript(x: Int, y: Int, channel: Int = 0) -> UInt8 {
        precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0 && channel < channels,
                     "pixel (\(x), \(y), \(channel)) outside \(width)x\(height)x\(channels)")
        return pixels[(y * width + x) * channels + channel]
    }

    // Sizes must be positive and fit the boundary's int32 fields (OpenCV's own limit), and the
    // byte count must not overflow before the pixel count check computes it.
    private static func checkSize(width: Int, height: Int, channels: Int) throws {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw ImagingError(.invalidArgument, "image: size \(width)x\(height) must be positive and fit Int32")
        }
        let (pixels, overflow1) = width.multipliedReportingOverflow(by: height)
        guard !overflow1, !pixels.multipliedReportingOverflow(by: channels).overflow else {
            throw ImagingError(.invalidArgument, "image: \(width)x\(height)x\(channels) bytes overflow Int")
        }
    }
}
