import Imaging

/// Training augmentation for text lines in the spirit of PaddleOCR's `RecAug` (TIA warps from
/// "Learn to Augment", then `BaseDataAugmentation`): same operations, same order, same
/// probability keys, so a PaddleOCR `RecAug:` entry means the same thing here.
///
/// Order: TIA (distort + stretch when the image is at least 20 x 20, then perspective) -> crop
/// -> blur -> colour jitter -> jitter -> noise -> reverse. Every choice draws from the `rng`
/// passed in, so an image and a generator state give the same result on every run and thread.
///
/// Where PaddleOCR's constants make an operation a no-op on line images this version has a
/// visible, configurable effect instead (each deviation is noted on its option):
/// `hsv_aug` changes V by at most 0.1% there, `add_gasuss_noise` has sigma 0.16 gray levels, and
/// `jitter` shifts by `min(w, h) / 100` pixels (0 for a 32-pixel line). `reverse_prob` defaults
/// to 0.1 where PaddleOCR uses 0.4: inverting 40% of samples is a strong prior for polarity
/// invariance that most custom fonts and handwriting sets do not need; set 0.4 to match.
public struct RecAugment: Sendable, Hashable, Codable {
    /// TIA warps (distort, stretch, perspective), all three together as PaddleOCR does.
    public var tiaProb: Double
    /// Cut 1...`cropMax` rows from the top or the bottom (images at least 20 x 20).
    public var cropProb: Double
    /// Gaussian blur, 5 x 5 kernel, sigma `blurSigma`.
    public var blurProb: Double
    /// Brightness / contrast / saturation jitter (PaddleOCR: V scaled by at most 0.1%).
    public var hsvAugProb: Double
    /// Diagonal shift smear by 1...`jitterMaxShift` pixels (PaddleOCR: min(w, h) / 100).
    public var jitterProb: Double
    /// Gaussian pixel noise with sigma uniform in [0, `noiseSigma`] (PaddleOCR: 0.16).
    public var noiseProb: Double
    /// 255 - x (PaddleOCR's default is 0.4; see the type's note).
    public var reverseProb: Double

    /// TIA segments per line, drawn in this range (PaddleOCR: 3...6).
    public var tiaSegments: [Int]
    /// Largest vertical move of a TIA control point, as a fraction of the height. PaddleOCR
    /// derives it from the width (`w / segments / 3`), which on a long line can exceed the
    /// height and fold the text; here it is also capped by this fraction.
    public var tiaMaxVerticalShift: Double
    public var cropMax: Int
    public var blurSigma: Double
    /// Brightness shift up to this fraction of 255, either way.
    public var brightness: Double
    /// Contrast factor in 1 +- this.
    public var contrast: Double
    /// Saturation factor in 1 +- this (3-channel images).
    public var saturation: Double
    public var jitterMaxShift: Int
    /// In gray levels.
    public var noiseSigma: Double

    public init() {
        tiaProb = 0.4
        cropProb = 0.4
        blurProb = 0.4
        hsvAugProb = 0.4
        jitterProb = 0.4
        noiseProb = 0.4
        reverseProb = 0.1
        tiaSegments = [3, 6]
        tiaMaxVerticalShift = 0.25
        cropMax = 8
        blurSigma = 1
        brightness = 0.2
        contrast = 0.3
        saturation = 0.4
        jitterMaxShift = 2
        noiseSigma = 8
    }

    /// No augmentation at all (every probability 0).
    public static var none: RecAugment {
        var a = RecAugment()
        (a.tiaProb, a.cropProb, a.blurProb, a.hsvAugProb, a.jitterProb, a.noiseProb, a.reverseProb) = (0, 0, 0, 0, 0, 0, 0)
        return a
    }

    enum CodingKeys: String, CodingKey {
        case tiaProb = "tia_prob", cropProb = "crop_prob", blurProb = "blur_prob", hsvAugProb = "hsv_aug_prob"
        case jitterProb = "jitter_prob", noiseProb = "noise_prob", reverseProb = "reverse_prob"
        case tiaSegments = "tia_segments", tiaMaxVerticalShift = "tia_max_vertical_shift", cropMax = "crop_max"
        case blurSigma = "blur_sigma", brightness, contrast, saturation, jitterMaxShift = "jitter_max_shift"
        case noiseSigma = "noise_sigma"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RecAugment()
        func get<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T { try c.decodeIfPresent(T.self, forKey: key) ?? fallback }
        tiaProb = try get(.tiaProb, d.tiaProb)
        cropProb = try get(.cropProb, d.cropProb)
        blurProb = try get(.blurProb, d.blurProb)
        hsvAugProb = try get(.hsvAugProb, d.hsvAugProb)
        jitterProb = try get(.jitterProb, d.jitterProb)
        noiseProb = try get(.noiseProb, d.noiseProb)
        reverseProb = try get(.reverseProb, d.reverseProb)
        tiaSegments = try get(.tiaSegments, d.tiaSegments)
        tiaMaxVerticalShift = try get(.tiaMaxVerticalShift, d.tiaMaxVerticalShift)
        cropMax = try get(.cropMax, d.cropMax)
        blurSigma = try get(.blurSigma, d.blurSigma)
        brightness = try get(.brightness, d.brightness)
        contrast = try get(.contrast, d.contrast)
        saturation = try get(.saturation, d.saturation)
        jitterMaxShift = try get(.jitterMaxShift, d.jitterMaxShift)
        noiseSigma = try get(.noiseSigma, d.noiseSigma)
        try validate()
    }

    /// Throws naming the first option out of range.
    public func validate() throws {
        for (name, p) in [("tia_prob", tiaProb), ("crop_prob", cropProb), ("blur_prob", blurProb),
                          ("hsv_aug_prob", hsvAugProb), ("jitter_prob", jitterProb), ("noise_prob", noiseProb),
                          ("reverse_prob", reverseProb)] where !(0...1).contains(p) {
            throw DataError("RecAug: \(name) must be in 0...1, got \(p)")
        }
        guard tiaSegments.count == 2, tiaSegments[0] >= 1, tiaSegments[0] <= tiaSegments[1] else {
            throw DataError("RecAug: tia_segments must be [min, max] with 1 <= min <= max, got \(tiaSegments)")
        }
        for (name, v) in [("tia_max_vertical_shift", tiaMaxVerticalShift), ("blur_sigma", blurSigma),
                          ("brightness", brightness), ("contrast", contrast), ("saturation", saturation),
                          ("noise_sigma", noiseSigma)] where !(v >= 0 && v.isFinite) {
            throw DataError("RecAug: \(name) must be a finite number >= 0, got \(v)")
        }
        guard contrast <= 1, saturation <= 1 else {
            throw DataError("RecAug: contrast and saturation must be at most 1 (factors in 1 +- value)")
        }
        guard cropMax >= 1, jitterMaxShift >= 1 else { throw DataError("RecAug: crop_max and jitter_max_shift must be >= 1") }
    }

    /// Augments one line image (any channel count); the result may be a few rows shorter (crop).
    public func callAsFunction(_ image: Image, rng: inout SplitMix64) throws -> Image {
        var img = image
        if rng.chance(tiaProb) {
            if img.height >= 20 && img.width >= 20 {
                img = try tiaDistort(img, segments: rng.nextInt(in: tiaSegments[0]...tiaSegments[1]), rng: &rng)
                img = try tiaStretch(img, segments: rng.nextInt(in: tiaSegments[0]...tiaSegments[1]), rng: &rng)
            }
            img = try tiaPerspective(img, rng: &rng)
        }
        if rng.chance(cropProb) && img.height >= 20 && img.width >= 20 { img = try crop(img, rng: &rng) }
        if rng.chance(blurProb) { img = try img.gaussianBlurred(sigmaX: blurSigma, kernelWidth: 5, kernelHeight: 5) }
        if rng.chance(hsvAugProb) { img = try colorJitter(img, rng: &rng) }
        if rng.chance(jitterProb) { img = try jitter(img, rng: &rng) }
        if rng.chance(noiseProb) { img = try noise(img, rng: &rng) }
        if rng.chance(reverseProb) { img = try mapBytes(img) { 255 - $0 } }
        return img
    }
}
