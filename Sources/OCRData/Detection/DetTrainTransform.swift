import Imaging
import OCRCore

/// The geometric part of PaddleOCR's det training pipeline - `IaaAugment` then
/// `EastRandomCropData` - as one resampling: the augmentation's map and the crop's placement
/// compose into one `PageTransform`, the page is warped once straight to the crop size, and the
/// regions move with the same map. Regions wholly outside the crop are dropped (don't-care ones
/// may be cut; cared-for ones never are, see `DetRandomCrop`).
public struct DetTrainTransform: Sendable, Hashable {
    /// nil: no augmentation.
    public var augment: DetAugment?
    public var crop: DetRandomCrop

    public init(augment: DetAugment? = DetAugment(), crop: DetRandomCrop = DetRandomCrop()) {
        self.augment = augment
        self.crop = crop
    }

    /// The page (`crop.width` x `crop.height`) and its regions in the page's new coordinates.
    public func callAsFunction(_ image: Image, regions: [TextRegion], rng: inout SplitMix64) throws -> (image: Image, regions: [TextRegion]) {
        var (t, w, h) = (PageTransform.identity, image.width, image.height)
        if let augment { (t, w, h) = augment.draw(width: w, height: h, rng: &rng) }
        let cared = regions.filter { !$0.isDontCare }.map { t.apply($0.polygon) }
        let window = crop.window(pageWidth: w, pageHeight: h, polygons: cared, rng: &rng)
        let (placement, validWidth, validHeight) = crop.placement(of: window)
        let total = placement.after(t)
        var page = try image.warpedAffine(matrix: total.m, width: crop.width, height: crop.height,
                                          interpolation: .linear, border: .constant, borderValue: [0])
        if validWidth < crop.width || validHeight < crop.height {
            page = try Self.zeroingOutside(page, width: validWidth, height: validHeight)
        }
        let valid = DetRandomCrop.Window(x: 0, y: 0, width: validWidth, height: validHeight)
        let moved = regions.map(total.apply).filter { !DetRandomCrop.isOutside($0.polygon, valid) }
        return (page, moved)
    }

    /// `keep_ratio` padding: zeros right of `width` and below `height` (where the warp still saw
    /// page content beyond the window).
    static func zeroingOutside(_ image: Image, width: Int, height: Int) throws -> Image {
        var pixels = image.pixels
        let c = image.channels
        for y in 0..<image.height {
            let row = y * image.width * c
            if y >= height {
                pixels.replaceSubrange(row..<row + image.width * c, with: repeatElement(0, count: image.width * c))
            } else if width < image.width {
                pixels.replaceSubrange(row + width * c..<row + image.width * c, with: repeatElement(0, count: (image.width - width) * c))
            }
        }
        return try Image(width: image.width, height: image.height, colorOrder: image.colorOrder, pixels: pixels)
    }
}
