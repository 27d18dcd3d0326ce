import Imaging
import OCRCore

/// A PaddleOCR cls `transforms` list, mapped onto OCRKit's fixed pipeline (decode -> `RecAug`
/// -> `ClsResizeImg`). `ClsLabelEncode` and `KeepKeys` are accepted (the labels come from
/// `label_list`, the loader always delivers image and label). PaddleOCR's cls augmentations
/// (`BaseDataAugmentation`, `RandAugment`) are not implemented: they are errors that point at
/// `RecAug`, never silently skipped.
public struct ClsTransforms: Decodable, Sendable {
    /// `DecodeImage.img_mode`: BGR (default), RGB or GRAY.
    public var decodeMode: DecodeMode = .bgr
    public var augment: RecAugment?
    /// `ClsResizeImg`: PaddleOCR's keep-ratio-and-pad resize at a fixed size (`RecResize.clsResizeImg`).
    public var resize: RecResize = .clsResizeImg()
    /// The op names, in order.
    public var ops: [String] = []

    public static let supportedOps = ["DecodeImage", "ClsLabelEncode", "RecAug", "ClsResizeImg", "KeepKeys"]

    public init(decodeMode: DecodeMode = .bgr, augment: RecAugment? = nil, resize: RecResize = .clsResizeImg()) {
        self.decodeMode = decodeMode
        self.augment = augment
        self.resize = resize
    }

    public init(from decoder: Decoder) throws {
        var list = try decoder.unkeyedContainer()
        var sawResize = false
        while !list.isAtEnd {
            let c = try list.nestedContainer(keyedBy: RecTransforms.AnyKey.self)
            guard c.allKeys.count == 1, let key = c.allKeys.first else {
                throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription:
                    "each transform is a map with one key, the op name; got \(c.allKeys.map(\.stringValue))"))
            }
            let name = key.stringValue, empty = try c.decodeNil(forKey: key)
            ops.append(name)
            switch name {
            case "DecodeImage":
                decodeMode = empty ? .bgr : try c.decode(RecTransforms.DecodeImageOptions.self, forKey: key).mode
            case "RecAug":
                augment = empty ? RecAugment() : try c.decode(RecAugment.self, forKey: key)
            case "ClsResizeImg":
                resize = .clsResizeImg(imageShape: try c.nestedContainer(keyedBy: ResizeKeys.self, forKey: key)
                    .decode([Int].self, forKey: .imageShape))
                do { try resize.validate() } catch {
                    throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(error)")
                }
                sawResize = true
            case "ClsLabelEncode", "KeepKeys":
                if !empty { _ = try c.decode(ConfigValue.self, forKey: key) }
            case "BaseDataAugmentation", "RandAugment":
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "\(name) is not implemented; use RecAug (OCRKit's line augmentation) instead")
            default:
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "transform '\(name)' is not supported for cls (supported: \(Self.supportedOps.joined(separator: ", ")))")
            }
        }
        guard sawResize else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "cls transforms need ClsResizeImg: {image_shape: [3, 48, 192]} (the model input shape comes from it)"))
        }
    }

    enum ResizeKeys: String, CodingKey { case imageShape = "image_shape" }

    /// The loader's pipeline (labels are not charset-encoded: `LineBatch.texts` hold them).
    public func pipeline() throws -> LinePipeline {
        if decodeMode == .gray && resize.channels == 3 || decodeMode != .gray && resize.channels == 1 {
            throw DataError("transforms: DecodeImage img_mode \(decodeMode) does not match image_shape \(resize.imageShape)")
        }
        return LinePipeline(augment: augment, resize: resize, charset: nil)
    }
}
