import Foundation
import Imaging

/// A sample's pixels for a report's gallery: 8-bit BGR (3 channels) or gray (1), row-major.
public struct ReportImage: Sendable {
    public var width: Int, height: Int
    /// `.bgr` or `.gray`.
    public var colorOrder: ColorOrder
    public var pixels: [UInt8]

    /// H x W x 3 BGR pixels.
    public init(width: Int, height: Int, bgr pixels: [UInt8]) {
        self.width = width
        self.height = height
        colorOrder = .bgr
        self.pixels = pixels
    }

    /// H x W gray pixels.
    public init(width: Int, height: Int, gray pixels: [UInt8]) {
        self.width = width
        self.height = height
        colorOrder = .gray
        self.pixels = pixels
    }

    /// A decoded image as it is (converted to BGR unless it is gray).
    public init(_ image: Image) throws {
        let i = image.colorOrder == .gray ? image : try image.converted(to: .bgr)
        self.init(width: i.width, height: i.height, bgr: i.pixels)
        colorOrder = i.colorOrder
    }

    /// `data:image/png;base64,...` for an `<img src>`; throws when the pixels do not make an image.
    public func pngDataURI() throws -> String {
        let png = try Image(width: width, height: height, colorOrder: colorOrder, pixels: pixels).encoded(as: .png)
        return "data:image/png;base64," + png.base64EncodedString()
    }
}
