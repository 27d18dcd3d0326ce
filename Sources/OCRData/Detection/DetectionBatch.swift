import Imaging
import OCRCore

/// A page of a batch: where it came from and how it maps to its source image.
public struct DetectionPage: Sendable {
    /// `train.txt:12 (imgs/0001.jpg)`, `synthetic page 7`.
    public var source: String
    /// Regions in source-image coordinates (eval; don't-care included), or in the batch
    /// image's coordinates after augmentation and crop (train).
    public var regions: [TextRegion]
    /// The source image's size.
    public var sourceWidth: Int
    public var sourceHeight: Int
    /// The page's size in the batch (eval: the resized size; train: the crop size).
    public var width: Int
    public var height: Int
    /// batch / source (eval; PaddleOCR's `shape` ratios): a predicted x divided by `ratioW` is a
    /// source x. 1 in train mode (the augmentation is not invertible this way).
    public var ratioW: Double
    public var ratioH: Double
    /// The source page itself (eval only), for reports that draw the worst pages; nil in training.
    public var sourceImage: Image? = nil

    /// A predicted polygon in batch-image coordinates, mapped to the source image.
    public func toSource(_ p: Polygon) -> Polygon {
        Polygon(p.points.map { Point($0.x / ratioW, $0.y / ratioH) })
    }
}

/// A batch of detection pages: images N x C x H x W and, in training, the four DB targets.
public struct DetectionBatch: Sendable {
    /// N x C x H x W, normalised, row-major.
    public var images: [Float]
    /// [N, C, H, W].
    public var shape: [Int]
    /// Training targets, each N x H x W (nil in eval mode).
    public var maps: DetectionMaps?
    /// One per image, in order.
    public var pages: [DetectionPage]

    public var count: Int { shape[0] }
}

/// DB's training targets for a batch, each N x H x W floats row-major.
public struct DetectionMaps: Sendable {
    public var shrinkMap: [Float]
    public var shrinkMask: [Float]
    public var thresholdMap: [Float]
    public var thresholdMask: [Float]
    /// [N, H, W].
    public var shape: [Int]
}
