import Foundation
import Imaging

/// PaddleOCR's recognition resize (`RecResizeImg`, `SVTRRecResizeImg`: both call
/// `resize_norm_img`), plus a dynamic-width mode.
///
/// With `padding` (the default): the image is resized to height H keeping its aspect ratio, to
/// width `min(W, ceil(H * w / h))`, normalised to `(x / 255 - 0.5) / 0.5`, and placed at the
/// left of a zero tensor of width W - so the padding is 0 *after* normalisation (mid-gray), as
/// in PaddleOCR. Without `padding` (SVTR configs set `padding: False`) the image is stretched to
/// exactly H x W. `validWidth` is the resized width (PaddleOCR's `valid_ratio * W`).
///
/// `dynamic_width` (not in PaddleOCR): a batch is only as wide as its widest resized image,
/// rounded up to `width_multiple` (at most W): the same per-image pixels, less padding, which
/// speeds up CRNN training on short lines. Channels stay in decode order (BGR); a 1-channel
/// shape converts to gray first.
///
/// `mean` and `std` (per channel, on the x / 255 scale) are PaddleOCR's 0.5 unless an exported
/// model's metadata says otherwise; they are not config keys (`RecResizeImg` has none).
public struct RecResize: Sendable, Hashable, Codable {
    /// [C, H, W]: channels (3 or 1), height, and (maximum) width.
    public var imageShape: [Int]
    /// Keep the aspect ratio and pad (true), or stretch to H x W (false).
    public var padding: Bool
    /// Pad each batch only to its widest image (rounded up to `widthMultiple`, at most W).
    public var dynamicWidth: Bool
    /// The dynamic batch width is a multiple of this (the model's width stride, 4 for CRNN).
    public var widthMultiple: Int
    /// Per-channel mean and standard deviation on the x / 255 scale: a pixel becomes
    /// `(x / 255 - mean) / std`. One value per channel (or one for all).
    public var mean: [Float] = [0.5]
    public var std: [Float] = [0.5]

    public init(imageShape: [Int] = [3, 32, 320], padding: Bool = true, dynamicWidth: Bool = false,
                widthMultiple: Int = 4) {
        self.imageShape = imageShape
        self.padding = padding
        self.dynamicWidth = dynamicWidth
        self.widthMultiple = widthMultiple
    }

    enum CodingKeys: String, CodingKey {
        case imageShape = "image_shape", padding, dynamicWidth = "dynamic_width", widthMultiple = "width_multiple"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RecResize()
        imageShape = try c.decodeIfPresent([Int].self, forKey: .imageShape) ?? d.imageShape
        padding = try c.decodeIfPresent(Bool.self, forKey: .padding) ?? d.padding
        dynamicWidth = try c.decodeIfPresent(Bool.self, forKey: .dynamicWidth) ?? d.dynamicWidth
        widthMultiple = try c.decodeIfPresent(Int.self, forKey: .widthMultiple) ?? d.widthMultiple
        try validate()
    }

    /// Throws unless the shape is [1 or 3, H > 0, W > 0] and `widthMultiple` > 0.
    public func validate() throws {
        guard imageShape.count == 3, imageShape[0] == 1 || imageShape[0] == 3, imageShape[1] > 0, imageShape[2] > 0 else {
            throw PreprocessError("RecResize: image_shape must be [C, H, W] with C 1 or 3 and H, W > 0, got \(imageShape)")
        }
        guard widthMultiple > 0 else { throw PreprocessError("RecResize: width_multiple must be positive, got \(widthMultiple)") }
        guard !(dynamicWidth && !padding) else {
            throw PreprocessError("RecResize: dynamic_width needs padding (without padding every image is W wide)")
        }
        for (name, v) in [("mean", mean), ("std", std)] where !(v.count == 1 || v.count == imageShape[0]) || v.contains(where: { !$0.isFinite }) {
            throw PreprocessError("RecResize: \(name) needs 1 or \(imageShape[0]) finite values, got \(v)")
        }
        guard std.allSatisfy({ $0 != 0 }) else { throw PreprocessError("RecResize: std must not be 0, got \(std)") }
    }

    public var channels: Int { imageShape[0] }
    public var height: Int { imageShape[1] }
    public var maxWidth: Int { imageShape[2] }

    /// The width an image of `width` x `height` is resized to.
    public func resizedWidth(width: Int, height h: Int) -> Int {
        guard padding else { return maxWidth }
        // PaddleOCR: ratio = w / float(h); resized_w = min(imgW, ceil(imgH * ratio)), in doubles.
        let ratio = Double(width) / Double(h)
        let w = (Double(height) * ratio).rounded(.up)
        return w > Double(maxWidth) ? maxWidth : max(1, Int(w))
    }

    /// The batch width for images of these resized widths.
    public func batchWidth(validWidths: [Int]) -> Int {
        guard dynamicWidth, let widest = validWidths.max() else { return maxWidth }
        let rounded = (widest + widthMultiple - 1) / widthMultiple * widthMultiple
        return min(maxWidth, max(rounded, widthMultiple))
    }

    /// One image resized and normalised: C x H x `validWidth` floats.
    public struct Line: Sendable {
        public var pixels: [Float]
        public var validWidth: Int
    }

    /// Resizes and normalises one image (C x H x validWidth, not yet padded).
    public func callAsFunction(_ image: Image) throws -> Line {
        var image = image
        let target: ColorOrder = channels == 1 ? .gray : (image.colorOrder == .rgb || image.colorOrder == .rgba ? .rgb : .bgr)
        image = try image.converted(to: target)
        let w = resizedWidth(width: image.width, height: image.height)
        let resized = (image.width == w && image.height == height) ? image
            : try image.resized(width: w, height: height, interpolation: .linear)
        let (c, h) = (channels, height)
        var out = [Float](repeating: 0, count: c * h * w)
        normalisationTable.withUnsafeBufferPointer { table in
            resized.pixels.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    // HWC bytes -> CHW floats, one output plane at a time.
                    for k in 0..<c {
                        for y in 0..<h {
                            let row = dst.baseAddress! + (k * h + y) * w
                            let from = src.baseAddress! + y * w * c + k
                            let lookup = table.baseAddress! + k * 256
                            for x in 0..<w { row[x] = lookup[Int(from[x * c])] }
                        }
                    }
                }
            }
        }
        return Line(pixels: out, validWidth: w)
    }

    /// Copies `line` into image `b` of a B x C x H x `batchWidth` buffer of zeros.
    public func place(_ line: Line, into batch: inout [Float], at b: Int, batchWidth: Int) {
        let (c, h, w) = (channels, height, line.validWidth)
        precondition(w <= batchWidth, "line width \(w) exceeds batch width \(batchWidth)")
        line.pixels.withUnsafeBufferPointer { src in
            batch.withUnsafeMutableBufferPointer { dst in
                let base = b * c * h * batchWidth
                for row in 0..<(c * h) {
                    let d = dst.baseAddress! + base + row * batchWidth
                    d.update(from: src.baseAddress! + row * w, count: w)
                }
            }
        }
    }

    /// `(x / 255 - 0.5) / 0.5` for every byte, computed in Float in PaddleOCR's order so values
    /// match its float32 arrays bit for bit.
    public static let normalisation: [Float] = (0..<256).map { (Float($0) / 255 - 0.5) / 0.5 }

    /// 256 values per channel: `(x / 255 - mean) / std`, in the same Float order as `normalisation`.
    /// With the default 0.5s each channel's part equals `normalisation`.
    var normalisationTable: [Float] {
        (0..<channels).flatMap { k -> [Float] in
            let (m, s) = (mean.count == 1 ? mean[0] : mean[k], std.count == 1 ? std[0] : std[k])
            return (0..<256).map { (Float($0) / 255 - m) / s }
        }
    }
}
