import Foundation
import Imaging
import OCRCore
import OCRPreprocess

/// A PaddleOCR detection `transforms` list, mapped onto OCRKit's fixed pipelines
/// (`DetectionPipeline`): training is decode -> `IaaAugment` -> `EastRandomCropData` ->
/// `MakeBorderMap` -> `MakeShrinkMap` -> `NormalizeImage`; evaluation is decode ->
/// `DetResizeForTest` -> `NormalizeImage`. Ops that only say what PaddleOCR's dict holds
/// (`DetLabelEncode`, `ToCHWImage`, `KeepKeys`) are accepted; any other op, and any option an
/// op does not have, is an error naming it - never silently skipped.
public struct DetTransforms: Decodable, Sendable {
    public var decodeMode: DecodeMode = .bgr
    public var augment: DetAugment?
    public var crop: DetRandomCrop?
    public var border: BorderMapBuilder?
    public var shrink: ShrinkMapBuilder?
    public var resize: DetResize?
    public var normalize = DetNormalize()
    /// The op names, in order.
    public var ops: [String] = []

    public static let supportedOps = ["DecodeImage", "DetLabelEncode", "IaaAugment", "EastRandomCropData", "MakeBorderMap",
                                      "MakeShrinkMap", "NormalizeImage", "ToCHWImage", "KeepKeys", "DetResizeForTest"]

    /// PaddleOCR's `det_mv3_db.yml` training list by default.
    public init(augment: DetAugment? = DetAugment(), crop: DetRandomCrop? = DetRandomCrop(),
                border: BorderMapBuilder? = BorderMapBuilder(), shrink: ShrinkMapBuilder? = ShrinkMapBuilder(),
                resize: DetResize? = nil, normalize: DetNormalize = DetNormalize()) {
        self.augment = augment
        self.crop = crop
        self.border = border
        self.shrink = shrink
        self.resize = resize
        self.normalize = normalize
    }

    /// The loader's pipeline: training when the list crops and makes both maps, evaluation when
    /// it has `DetResizeForTest`.
    public func pipeline() throws -> DetectionPipeline {
        switch (crop, border, shrink, resize) {
        case let (crop?, border?, shrink?, nil):
            return DetectionPipeline(mode: .train(DetTrainTransform(augment: augment, crop: crop), border: border, shrink: shrink),
                                     normalize: normalize)
        case let (nil, nil, nil, resize?):
            guard augment == nil else { throw DataError("transforms: IaaAugment with DetResizeForTest (evaluation does not augment)") }
            return DetectionPipeline(mode: .eval(resize), normalize: normalize)
        default:
            throw DataError("transforms: a detection list either trains (EastRandomCropData, MakeBorderMap and MakeShrinkMap) "
                + "or evaluates (DetResizeForTest); got \(ops)")
        }
    }

    public init(from decoder: Decoder) throws {
        var list = try decoder.unkeyedContainer()
        (augment, crop, border, shrink, resize) = (nil, nil, nil, nil, nil)
        while !list.isAtEnd {
            let op = try list.decode(Op.self)
            ops.append(op.name)
            switch op.value {
            case .decode(let m): decodeMode = m
            case .augment(let a): augment = a
            case .crop(let c): crop = c
            case .border(let b): border = b
            case .shrink(let s): shrink = s
            case .resize(let r): resize = r
            case .normalize(let n): normalize = n
            case .accepted: break
            }
        }
    }

    /// One `- Name: {options}` entry.
    struct Op: Decodable {
        enum Value {
            case decode(DecodeMode), augment(DetAugment), crop(DetRandomCrop), border(BorderMapBuilder)
            case shrink(ShrinkMapBuilder), resize(DetResize), normalize(DetNormalize), accepted
        }
        var name: String
        var value: Value

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: RecTransforms.AnyKey.self)
            guard c.allKeys.count == 1, let key = c.allKeys.first else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                    "each transform is a map with one key, the op name; got \(c.allKeys.map(\.stringValue))"))
            }
            name = key.stringValue
            let empty = try c.decodeNil(forKey: key)
            func options<T: Decodable>(_ type: T.Type, default d: T) throws -> T { empty ? d : try c.decode(T.self, forKey: key) }
            switch name {
            case "DecodeImage": value = .decode(empty ? .bgr : try c.decode(RecTransforms.DecodeImageOptions.self, forKey: key).mode)
            case "IaaAugment": value = .augment(try options(IaaOptions.self, default: IaaOptions()).augment)
            case "EastRandomCropData": value = .crop(try options(CropOptions.self, default: CropOptions()).crop)
            case "MakeBorderMap": value = .border(try options(BorderOptions.self, default: BorderOptions()).builder)
            case "MakeShrinkMap": value = .shrink(try options(ShrinkOptions.self, default: ShrinkOptions()).builder)
            case "DetResizeForTest": value = .resize(try options(ResizeOptions.self, default: ResizeOptions()).resize)
            case "NormalizeImage": value = .normalize(try options(NormalizeOptions.self, default: NormalizeOptions()).normalize)
            case "DetLabelEncode", "ToCHWImage", "KeepKeys":
                // The loader always delivers image + maps (train) or image + page info (eval).
                if !empty { _ = try c.decode(ConfigValue.self, forKey: key) }
                value = .accepted
            default:
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "transform '\(name)' is not supported for detection (supported: \(DetTransforms.supportedOps.joined(separator: ", ")))")
            }
        }
    }
}

// MARK: Op options

/// A number or a [low, high] pair (imgaug's ranges).
private func range<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> ClosedRange<Double> {
    if let v = try? c.decode(Double.self, forKey: key) { return v...v }
    let pair = try c.decode([Double].self, forKey: key)
    guard pair.count == 2, pair[0] <= pair[1], pair.allSatisfy({ $0.isFinite }) else {
        throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected [low, high] with low <= high, got \(pair)")
    }
    return pair[0]...pair[1]
}

/// `IaaAugment: {augmenter_args: [{type: Fliplr, args: {p}}, {type: Affine, args: {rotate}}, {type: Resize, args: {size}}]}`.
/// Without `augmenter_args`, PaddleOCR's defaults; with it, only the listed augmenters.
struct IaaOptions: Decodable {
    var augment = DetAugment()
    enum CodingKeys: String, CodingKey { case augmenterArgs = "augmenter_args" }
    init() {}
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.augmenterArgs) else { return }
        augment = DetAugment(flipProbability: 0, rotate: nil, scale: nil)
        var list = try c.nestedUnkeyedContainer(forKey: .augmenterArgs)
        while !list.isAtEnd {
            let a = try list.decode(Augmenter.self)
            switch a.kind {
            case .flip(let p): augment.flipProbability = p
            case .rotate(let r): augment.rotate = r
            case .scale(let s): augment.scale = s
            }
        }
    }

    struct Augmenter: Decodable {
        enum Kind { case flip(Double), rotate(ClosedRange<Double>), scale(ClosedRange<Double>) }
        var kind: Kind
        enum CodingKeys: String, CodingKey { case type, args }
        enum ArgKeys: String, CodingKey { case p, rotate, size }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let type = try c.decode(String.self, forKey: .type)
            let args = try c.nestedContainer(keyedBy: ArgKeys.self, forKey: .args)
            switch type {
            case "Fliplr":
                let p = try args.decodeIfPresent(Double.self, forKey: .p) ?? 1
                guard (0...1).contains(p) else {
                    throw DecodingError.dataCorruptedError(forKey: .p, in: args, debugDescription: "Fliplr p must be in [0, 1], got \(p)")
                }
                kind = .flip(p)
            case "Affine": kind = .rotate(try range(args, ArgKeys.rotate))
            case "Resize":
                let s = try range(args, ArgKeys.size)
                guard s.lowerBound > 0 else {
                    throw DecodingError.dataCorruptedError(forKey: .size, in: args, debugDescription: "Resize size must be positive")
                }
                kind = .scale(s)
            default:
                throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription:
                    "augmenter '\(type)' is not supported (supported: Fliplr {p}, Affine {rotate}, Resize {size})")
            }
        }
    }
}

struct CropOptions: Decodable {
    var crop = DetRandomCrop()
    enum CodingKeys: String, CodingKey {
        case size, maxTries = "max_tries", minCropSideRatio = "min_crop_side_ratio", keepRatio = "keep_ratio"
    }
    init() {}
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let size = try c.decodeIfPresent([Int].self, forKey: .size) {
            guard size.count == 2, size.allSatisfy({ $0 >= 32 }) else {
                throw DecodingError.dataCorruptedError(forKey: .size, in: c, debugDescription: "size is [width, height], each >= 32; got \(size)")
            }
            (crop.width, crop.height) = (size[0], size[1])
        }
        crop.maxTries = try c.decodeIfPresent(Int.self, forKey: .maxTries) ?? 10  // PaddleOCR's own default
        crop.minCropSideRatio = try c.decodeIfPresent(Double.self, forKey: .minCropSideRatio) ?? crop.minCropSideRatio
        crop.keepRatio = try c.decodeIfPresent(Bool.self, forKey: .keepRatio) ?? crop.keepRatio
        guard crop.maxTries >= 0, (0...1).contains(crop.minCropSideRatio) else {
            throw DecodingError.dataCorruptedError(forKey: .maxTries, in: c, debugDescription:
                "max_tries must be >= 0 and min_crop_side_ratio in [0, 1]")
        }
    }
}

struct BorderOptions: Decodable {
    var builder = BorderMapBuilder()
    enum CodingKeys: String, CodingKey { case shrinkRatio = "shrink_ratio", threshMin = "thresh_min", threshMax = "thresh_max" }
    init() {}
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        builder.shrinkRatio = try c.decodeIfPresent(Double.self, forKey: .shrinkRatio) ?? builder.shrinkRatio
        builder.threshMin = try c.decodeIfPresent(Double.self, forKey: .threshMin) ?? builder.threshMin
        builder.threshMax = try c.decodeIfPresent(Double.self, forKey: .threshMax) ?? builder.threshMax
        guard builder.shrinkRatio > 0, builder.shrinkRatio < 1 else {
            throw DecodingError.dataCorruptedError(forKey: .shrinkRatio, in: c, debugDescription: "shrink_ratio must be in (0, 1)")
        }
        guard builder.threshMin <= builder.threshMax else {
            throw DecodingError.dataCorruptedError(forKey: .threshMin, in: c, debugDescription: "thresh_min must not exceed thresh_max")
        }
    }
}

struct ShrinkOptions: Decodable {
    var builder = ShrinkMapBuilder()
    enum CodingKeys: String, CodingKey { case shrinkRatio = "shrink_ratio", minTextSize = "min_text_size" }
    init() {}
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        builder.shrinkRatio = try c.decodeIfPresent(Double.self, forKey: .shrinkRatio) ?? builder.shrinkRatio
        builder.minTextSize = try c.decodeIfPresent(Double.self, forKey: .minTextSize) ?? builder.minTextSize
        guard builder.shrinkRatio > 0, builder.shrinkRatio < 1 else {
            throw DecodingError.dataCorruptedError(forKey: .shrinkRatio, in: c, debugDescription: "shrink_ratio must be in (0, 1)")
        }
    }
}

struct ResizeOptions: Decodable {
    var resize = DetResize()
    enum CodingKeys: String, CodingKey {
        case limitSideLen = "limit_side_len", limitType = "limit_type", imageShape = "image_shape", keepRatio = "keep_ratio"
        case resizeLong = "resize_long", maxSideLimit = "max_side_limit"
    }
    init() {}
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // PaddleOCR's precedence: image_shape, then limit_side_len, then resize_long.
        if let shape = try c.decodeIfPresent([Int].self, forKey: .imageShape) {
            guard shape.count == 2 else {
                throw DecodingError.dataCorruptedError(forKey: .imageShape, in: c, debugDescription: "image_shape is [H, W], got \(shape)")
            }
            resize.mode = .shape(height: shape[0], width: shape[1], keepRatio: try c.decodeIfPresent(Bool.self, forKey: .keepRatio) ?? false)
        } else if let side = try c.decodeIfPresent(Int.self, forKey: .limitSideLen) {
            resize.mode = .limit(side: side, type: try c.decodeIfPresent(DetResize.LimitType.self, forKey: .limitType) ?? .min)
        } else if let long = try c.decodeIfPresent(Int.self, forKey: .resizeLong) {
            resize.mode = .long(side: long)
        }
        for key in [CodingKeys.keepRatio, .limitType, .resizeLong, .limitSideLen] where c.contains(key) {
            _ = try? c.decode(ConfigValue.self, forKey: key)  // read, so only truly unknown keys are reported
        }
        resize.maxSideLimit = try c.decodeIfPresent(Int.self, forKey: .maxSideLimit) ?? resize.maxSideLimit
        do { try resize.validate() } catch {
            throw DecodingError.dataCorruptedError(forKey: .imageShape, in: c, debugDescription: "\(error)")
        }
    }
}

/// `NormalizeImage: {scale: 1./255., mean, std, order}`; `scale` may be a number or PaddleOCR's
/// string expression `a/b`.
struct NormalizeOptions: Decodable {
    var normalize = DetNormalize()
    enum CodingKeys: String, CodingKey { case scale, mean, std, order }
    init() {}
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.scale) {
            if let v = try? c.decode(Double.self, forKey: .scale) { normalize.scale = Float(v) }
            else {
                let text = try c.decode(String.self, forKey: .scale)
                guard let v = Self.fraction(text) else {
                    throw DecodingError.dataCorruptedError(forKey: .scale, in: c, debugDescription:
                        "scale '\(text)' is neither a number nor a fraction like 1./255.")
                }
                normalize.scale = v
            }
        }
        normalize.mean = try c.decodeIfPresent([Float].self, forKey: .mean) ?? normalize.mean
        normalize.std = try c.decodeIfPresent([Float].self, forKey: .std) ?? normalize.std
        if let order = try c.decodeIfPresent(String.self, forKey: .order), order != "hwc", order != "chw" {
            throw DecodingError.dataCorruptedError(forKey: .order, in: c, debugDescription: "order is 'hwc' or 'chw', got '\(order)'")
        }
        do { try normalize.validate() } catch {
            throw DecodingError.dataCorruptedError(forKey: .mean, in: c, debugDescription: "\(error)")
        }
    }

    /// `1./255.` -> Float32(1.0 / 255.0), as NumPy's `np.float32(eval(scale))`.
    static func fraction(_ s: String) -> Float? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func number(_ t: String) -> Double? { Double(t.hasSuffix(".") ? t + "0" : t) }
        switch parts.count {
        case 1: return number(parts[0]).map { Float($0) }
        case 2:
            guard let a = number(parts[0]), let b = number(parts[1]), b != 0 else { return nil }
            return Float(a / b)
        default: return nil
        }
    }
}
