/// PaddleOCR's detection augmentation (`IaaAugment` with its default `augmenter_args`): mirror
/// left-right with probability `flipProbability`, rotate by an angle uniform in `rotate`
/// degrees about the page centre (same size, zeros in the corners), then scale both sides by
/// one factor uniform in `scale`.
///
/// It only says *how* the page moves (a `PageTransform` and the new size); `DetTrainTransform`
/// composes it with the crop and resamples the page once, and moves the polygons with the same
/// map. Draws come from the loader's per-sample generator, so a seed fixes the result.
public struct DetAugment: Sendable, Hashable {
    /// imgaug `Fliplr` p.
    public var flipProbability: Double
    /// imgaug `Affine` rotate range, degrees (nil: no rotation).
    public var rotate: ClosedRange<Double>?
    /// imgaug `Resize` size range, a factor for both sides (nil: no scaling).
    public var scale: ClosedRange<Double>?

    public init(flipProbability: Double = 0.5, rotate: ClosedRange<Double>? = -10...10, scale: ClosedRange<Double>? = 0.5...3) {
        self.flipProbability = flipProbability
        self.rotate = rotate
        self.scale = scale
    }

    /// The map for a `width` x `height` page and the page's size after it.
    public func draw(width: Int, height: Int, rng: inout SplitMix64) -> (transform: PageTransform, width: Int, height: Int) {
        var t = PageTransform.identity
        if rng.chance(flipProbability) { t = PageTransform.flipHorizontal(width: width).after(t) }
        if let rotate {
            let degrees = rng.nextDouble(in: rotate.lowerBound, rotate.upperBound)
            t = PageTransform.rotation(degrees: degrees, width: width, height: height).after(t)
        }
        var (w, h) = (width, height)
        if let scale {
            let s = rng.nextDouble(in: scale.lowerBound, scale.upperBound)
            w = max(1, Int((Double(width) * s).rounded()))
            h = max(1, Int((Double(height) * s).rounded()))
            t = PageTransform.scaling(Double(w) / Double(width), Double(h) / Double(height)).after(t)
        }
        return (t, w, h)
    }
}
