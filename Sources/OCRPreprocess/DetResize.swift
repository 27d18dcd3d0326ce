import Foundation
import Imaging

/// PaddleOCR's detection resize for evaluation and inference (`DetResizeForTest`): a page goes to
/// a size the detector's strides divide (multiples of 32, at least 32), and the ratios come back
/// so predicted boxes can be scaled to the source image.
///
/// - `limit(side:type:)` (PaddleOCR `limit_side_len` + `limit_type`): `max` shrinks a page whose
///   longer side exceeds `side`, `min` enlarges one whose shorter side is below it,
///   `resize_long` scales the longer side to exactly `side`. Then each side is rounded to the
///   nearest multiple of 32 (Python's half-to-even `round`), at least 32. A size past
///   `maxSideLimit` (4000) is scaled down to it first, as PaddleOCR does.
/// - `shape(height:width:keepRatio:)` (`image_shape: [H, W]`): that size; with `keep_ratio` the
///   width follows the aspect ratio, rounded up to a multiple of 32.
/// - `long(side:)` (`resize_long: N`): longer side N, both rounded *up* to multiples of 128.
///
/// A page whose height + width is below 64 is padded with zeros at the bottom right to at least
/// 32 x 32 first (PaddleOCR `image_padding`); the ratios are then those of the padded page, and
/// `sourceWidth`/`sourceHeight` still the original's.
public struct DetResize: Sendable, Hashable {
    public enum LimitType: String, Sendable, Hashable, Codable, CaseIterable {
        case max, min
        case resizeLong = "resize_long"
    }

    public enum Mode: Sendable, Hashable {
        case limit(side: Int, type: LimitType)
        case shape(height: Int, width: Int, keepRatio: Bool)
        case long(side: Int)
    }

    public var mode: Mode
    /// PaddleOCR `max_side_limit`: no resized side exceeds it (limit modes).
    public var maxSideLimit: Int

    /// PaddleOCR's default: `limit_side_len: 736, limit_type: min`.
    public init(mode: Mode = .limit(side: 736, type: .min), maxSideLimit: Int = 4000) {
        self.mode = mode
        self.maxSideLimit = maxSideLimit
    }

    /// Throws unless every size is positive.
    public func validate() throws {
        switch mode {
        case .limit(let side, _), .long(let side):
            guard side > 0 else { throw PreprocessError("DetResizeForTest: limit_side_len / resize_long must be positive, got \(side)") }
        case .shape(let h, let w, _):
            guard h > 0, w > 0 else { throw PreprocessError("DetResizeForTest: image_shape must be [H, W] > 0, got [\(h), \(w)]") }
        }
        guard maxSideLimit >= 32 else { throw PreprocessError("DetResizeForTest: max_side_limit must be >= 32, got \(maxSideLimit)") }
    }

    /// The resized (width, height) of a `width` x `height` page (after the small-page padding).
    public func resizedSize(width w: Int, height h: Int) -> (width: Int, height: Int) {
        let (W, H) = (Double(w), Double(h))
        switch mode {
        case .limit(let side, let type):
            let limit = Double(side)
            let ratio: Double
            switch type {
            case .max: ratio = Swift.max(h, w) > side ? limit / (h > w ? H : W) : 1
            case .min: ratio = Swift.min(h, w) < side ? limit / (h < w ? H : W) : 1
            case .resizeLong: ratio = limit / Double(Swift.max(h, w))
            }
            var rh = Int(H * ratio), rw = Int(W * ratio)
            if Swift.max(rh, rw) > maxSideLimit {
                let r = Double(maxSideLimit) / Double(Swift.max(rh, rw))
                (rh, rw) = (Int(Double(rh) * r), Int(Double(rw) * r))
            }
            func round32(_ v: Int) -> Int { Swift.max(Int((Double(v) / 32).rounded(.toNearestOrEven)) * 32, 32) }
            return (round32(rw), round32(rh))
        case .shape(let th, let tw, let keepRatio):
            guard keepRatio else { return (tw, th) }
            return (Int((W * Double(th) / H / 32).rounded(.up)) * 32, th)
        case .long(let side):
            let ratio = Double(side) / (h > w ? H : W)
            func up128(_ v: Int) -> Int { (v + 127) / 128 * 128 }
            return (up128(Int(W * ratio)), up128(Int(H * ratio)))
        }
    }

    /// A resized page and how it maps back to the source.
    public struct Resized: Sendable {
        public var image: Image
        /// The page as given (before any small-page padding).
        public var sourceWidth: Int
        public var sourceHeight: Int
        /// resized / source (PaddleOCR's `shape` = [src_h, src_w, ratio_h, ratio_w]); divide a
        /// predicted x by `ratioW` to get a source x.
        public var ratioW: Double
        public var ratioH: Double
    }

    /// Resizes one page (bilinear, as `cv2.resize`).
    public func callAsFunction(_ image: Image) throws -> Resized {
        var page = image
        if image.width + image.height < 64 { page = try Self.padded(image, width: max(32, image.width), height: max(32, image.height)) }
        let (w, h) = resizedSize(width: page.width, height: page.height)
        let resized = (w == page.width && h == page.height) ? page : try page.resized(width: w, height: h, interpolation: .linear)
        return Resized(image: resized, sourceWidth: image.width, sourceHeight: image.height,
                       ratioW: Double(w) / Double(page.width), ratioH: Double(h) / Double(page.height))
    }

    /// `image` at the top left of a zero page of `width` x `height` (>= the image's size).
    public static func padded(_ image: Image, width: Int, height: Int) throws -> Image {
        let c = image.channels
        var pixels = [UInt8](repeating: 0, count: width * height * c)
        for y in 0..<image.height {
            let src = y * image.width * c
            pixels.replaceSubrange(y * width * c..<(y * width + image.width) * c,
                                   with: image.pixels[src..<src + image.width * c])
        }
        return try Image(width: width, height: height, colorOrder: image.colorOrder, pixels: pixels)
    }
}

/// PaddleOCR's `NormalizeImage` + `ToCHWImage` for detection: each byte becomes
/// `(x * scale - mean[c]) / std[c]` in Float (PaddleOCR's float32 order of operations), laid
/// out C x H x W. Channels stay in decode order: PaddleOCR applies the ImageNet mean/std, listed
/// for RGB, to its BGR pages as they are, and models trained that way expect it.
///
/// (`RecResize` normalises by `x / 255` with 0.5s; detection configs give `scale: 1./255.`, which
/// rounds differently in the last bit, so it has its own table.)
public struct DetNormalize: Sendable, Hashable, Codable {
    public var scale: Float
    /// One value per channel (or one for all).
    public var mean: [Float]
    public var std: [Float]

    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    public init(scale: Float = 1 / 255, mean: [Float] = DetNormalize.imageNetMean, std: [Float] = DetNormalize.imageNetStd) {
        self.scale = scale
        self.mean = mean
        self.std = std
    }

    /// Throws unless mean and std have 1 or `channels` finite values and no std is 0.
    public func validate(channels: Int = 3) throws {
        for (name, v) in [("mean", mean), ("std", std)] where !(v.count == 1 || v.count == channels) || v.contains(where: { !$0.isFinite }) {
            throw PreprocessError("NormalizeImage: \(name) needs 1 or \(channels) finite values, got \(v)")
        }
        guard std.allSatisfy({ $0 != 0 }) else { throw PreprocessError("NormalizeImage: std must not be 0, got \(std)") }
        guard scale.isFinite, scale > 0 else { throw PreprocessError("NormalizeImage: scale must be positive, got \(scale)") }
    }

    /// 256 values per channel.
    public func table(channels: Int) -> [Float] {
        (0..<channels).flatMap { k -> [Float] in
            let (m, s) = (mean.count == 1 ? mean[0] : mean[k], std.count == 1 ? std[0] : std[k])
            return (0..<256).map { (Float($0) * scale - m) / s }
        }
    }

    /// The page as C x H x W floats written into `out` starting at `offset` (a batch buffer).
    public func write(_ image: Image, into out: inout [Float], at offset: Int) {
        let (c, n) = (image.channels, image.width * image.height)
        precondition(offset + c * n <= out.count, "normalised page does not fit the buffer")
        let lookup = table(channels: c)
        lookup.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    // HWC bytes -> CHW floats, one plane at a time.
                    for k in 0..<c {
                        let plane = dst.baseAddress! + offset + k * n
                        let t = table.baseAddress! + k * 256
                        for i in 0..<n { plane[i] = t[Int(src[i * c + k])] }
                    }
                }
            }
        }
    }

    /// The page as C x H x W floats.
    public func callAsFunction(_ image: Image) -> [Float] {
        var out = [Float](repeating: 0, count: image.channels * image.width * image.height)
        write(image, into: &out, at: 0)
        return out
    }
}
