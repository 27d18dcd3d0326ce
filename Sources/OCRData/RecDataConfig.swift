import Imaging
import OCRCore

/// A PaddleOCR `Train` or `Eval` section for recognition: `dataset` and `loader`.
///
///     Train:
///       dataset:
///         name: SimpleDataSet            # or PackedDataSet (OCRKit), with `files: [a.h5, ...]`
///         data_dir: ./train_data/
///         label_file_list: [./train_data/train.txt]
///         ratio_list: [1.0]
///         label_issue_policy: skip       # OCRKit: skip | fail (default: Global.data_issue_policy)
///         transforms:
///           - DecodeImage: {img_mode: BGR, channel_first: False}
///           - RecAug:
///           - CTCLabelEncode:
///           - RecResizeImg: {image_shape: [3, 48, 320]}
///           - KeepKeys: {keep_keys: [image, label, length]}
///       loader: {shuffle: True, batch_size_per_card: 128, drop_last: True, num_workers: 2}
///
/// Decode with `ConfigTree.decode(RecDataSection.self, at: "Train")`, which rejects unknown
/// keys. Datasets with other names (synthetic lines) have their own config types; they can
/// reuse `RecTransforms` for their `transforms` list.
public typealias RecDataSection = DataSection<RecDatasetConfig>

extension DataSection where Dataset == RecDatasetConfig {
    /// The loader for this section. `charset` is the model's (`Global.character_dict_path`,
    /// `use_space_char`); `maxTextLength` is `Global.max_text_length`; `issuePolicy` is
    /// `Global.data_issue_policy`, used unless the section sets `label_issue_policy`.
    public func makeLoader(charset: Charset, maxTextLength: Int?, seed: UInt64,
                           issuePolicy: LabelIssuePolicy = .skip) throws -> LineLoader {
        let dataset = try self.dataset.makeDataset(charset: charset, maxTextLength: maxTextLength, issuePolicy: issuePolicy)
        return LineLoader(dataset: dataset, pipeline: try self.dataset.transforms.pipeline(charset: charset),
                          options: loader, seed: seed)
    }
}

/// `Train.dataset` / `Eval.dataset` for `SimpleDataSet` (label files) and `PackedDataSet`.
public struct RecDatasetConfig: Decodable, Sendable {
    /// `SimpleDataSet` or `PackedDataSet`.
    public var name: String
    /// Image paths in label files are relative to it (SimpleDataSet).
    public var dataDir: String
    /// Label files (SimpleDataSet).
    public var labelFileList: [String]
    /// Packed `.h5` files (PackedDataSet).
    public var files: [String]
    /// Fraction of each file drawn per epoch: one value or one per file.
    public var ratioList: [Double]?
    /// OCRKit: what to do with a bad line or image (report and leave out, or stop); nil: the
    /// policy given to `makeDataset` (`Global.data_issue_policy`). Evaluation sets `exclude`.
    public var labelIssuePolicy: LabelIssuePolicy?
    /// OCRKit: what is checked about images up front (SimpleDataSet).
    public var imageCheck: LabelFileDataset.ImageCheck
    /// OCRKit: what a sample's metrics group is (SimpleDataSet).
    public var groupBy: LabelFileDataset.Grouping
    public var transforms: RecTransforms
    /// `SyntheticLines`: fonts, corpus and rendering options (lines rendered on the fly).
    public var synthetic: SyntheticLinesConfig?

    public static let supportedNames = ["SimpleDataSet", "PackedDataSet", SyntheticLineDataset.configName]

    enum CodingKeys: String, CodingKey {
        // (data_dir, label_file_list, files, ratio_list, label_issue_policy, image_check: LabelSourceKeys)
        case name, labelFileList = "label_file_list", files, groupBy = "group_by", transforms
        case delimiter, extOpTransformIdx = "ext_op_transform_idx"
    }

    /// A section built in code, with the config's defaults (e.g. `ocr-eval` on an ONNX model without a config).
    public init(name: String, dataDir: String = "", labelFileList: [String] = [], files: [String] = []) {
        self.name = name
        self.dataDir = dataDir
        self.labelFileList = labelFileList
        self.files = files
        imageCheck = .exists
        groupBy = .labelFile
        transforms = RecTransforms()
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        guard Self.supportedNames.contains(name) else {
            throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription:
                "dataset '\(name)' is not one of \(Self.supportedNames.joined(separator: ", "))"
                + (name == "LMDBDataSet" ? "; convert LMDB data to label files, then `ocr data pack` it" : ""))
        }
        if name == SyntheticLineDataset.configName {
            // the same keys, read by the synthetic section's own decoder (unknown keys still rejected)
            synthetic = try SyntheticLinesConfig(from: decoder)
        }
        let keys = try LabelSourceKeys(from: decoder, excluded: "evaluation always excludes unreadable lines, and training needs full batches")
        (dataDir, labelFileList, files, ratioList) = (keys.dataDir, keys.labelFileList, keys.files, keys.ratioList)
        (labelIssuePolicy, imageCheck) = (keys.labelIssuePolicy, keys.imageCheck)
        groupBy = try c.decodeIfPresent(LabelFileDataset.Grouping.self, forKey: .groupBy) ?? .labelFile
        transforms = try c.decodeIfPresent(RecTransforms.self, forKey: .transforms) ?? RecTransforms()
        // PaddleOCR keys with no other meaning here: accepted when they change nothing.
        if let d = try c.decodeIfPresent(String.self, forKey: .delimiter), d != "\t" {
            throw DecodingError.dataCorruptedError(forKey: .delimiter, in: c, debugDescription: "only a tab delimiter is supported")
        }
        _ = try c.decodeIfPresent(Int.self, forKey: .extOpTransformIdx)  // RecConAug's index; RecConAug itself is rejected
        if name == "SimpleDataSet" && (labelFileList.isEmpty || !files.isEmpty) {
            throw DecodingError.dataCorruptedError(forKey: .labelFileList, in: c, debugDescription:
                "SimpleDataSet needs label_file_list (and takes no 'files')")
        }
        if name == "PackedDataSet" && (files.isEmpty || !labelFileList.isEmpty) {
            throw DecodingError.dataCorruptedError(forKey: .files, in: c, debugDescription:
                "PackedDataSet needs files: [...] of .h5 packs (and takes no label_file_list)")
        }
    }

    /// Builds the dataset; its `report` says what was left out. `issuePolicy` (`Global.data_issue_policy`)
    /// applies unless `labelIssuePolicy` is set.
    public func makeDataset(charset: Charset?, maxTextLength: Int?,
                            issuePolicy: LabelIssuePolicy = .skip) throws -> any LineDataset & DataReporting {
        if let synthetic { return try synthetic.makeDataset(charset: charset) }
        let policy = labelIssuePolicy ?? issuePolicy
        switch name {
        case "PackedDataSet":
            var o = PackedDataset.Options(files: files, ratios: ratioList, charset: charset, maxTextLength: maxTextLength,
                                          policy: policy)
            o.decodeMode = transforms.decodeMode
            return try PackedDataset(o)
        default:
            var o = LabelFileDataset.Options(dataDir: dataDir, labelFiles: labelFileList, ratios: ratioList,
                                             charset: charset, maxTextLength: maxTextLength, policy: policy)
            o.imageCheck = imageCheck
            o.grouping = groupBy
            o.decodeMode = transforms.decodeMode
            return try LabelFileDataset(o)
        }
    }
}

/// A PaddleOCR recognition `transforms` list, mapped onto OCRKit's fixed pipeline
/// (decode -> `RecAug` -> resize -> CTC labels). Ops that only say what PaddleOCR's dict holds
/// (`CTCLabelEncode`, `MultiLabelEncode`, `KeepKeys`) are accepted; an op OCRKit does not
/// implement is an error, never silently skipped.
public struct RecTransforms: Decodable, Sendable {
    /// `DecodeImage.img_mode`: BGR (default), RGB or GRAY.
    public var decodeMode: DecodeMode = .bgr
    public var augment: RecAugment?
    /// `RecResizeImg` / `SVTRRecResizeImg`; required to build a pipeline.
    public var resize: RecResize?
    /// The op names, in order.
    public var ops: [String] = []

    public static let supportedOps = ["DecodeImage", "RecAug", "CTCLabelEncode", "MultiLabelEncode", "RecResizeImg",
                                      "SVTRRecResizeImg", "KeepKeys"]

    public init(decodeMode: DecodeMode = .bgr, augment: RecAugment? = nil, resize: RecResize? = nil) {
        self.decodeMode = decodeMode
        self.augment = augment
        self.resize = resize
    }

    public init(from decoder: Decoder) throws {
        var list = try decoder.unkeyedContainer()
        while !list.isAtEnd {
            let op = try list.decode(Op.self)
            ops.append(op.name)
            switch op.value {
            case .decode(let mode): decodeMode = mode
            case .augment(let a): augment = a
            case .resize(let r): resize = r
            case .accepted: break
            }
        }
    }

    /// The loader's pipeline; `charset` encodes the labels.
    public func pipeline(charset: Charset?) throws -> LinePipeline {
        guard let resize else {
            throw DataError("transforms: no RecResizeImg or SVTRRecResizeImg (the model input shape comes from it)")
        }
        if decodeMode == .gray && resize.channels == 3 || decodeMode != .gray && resize.channels == 1 {
            throw DataError("transforms: DecodeImage img_mode \(decodeMode) does not match image_shape \(resize.imageShape)")
        }
        return LinePipeline(augment: augment, resize: resize, charset: charset)
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// One `- Name: {options}` entry.
    struct Op: Decodable {
        enum Value { case decode(DecodeMode), augment(RecAugment), resize(RecResize), accepted }
        var name: String
        var value: Value

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            guard c.allKeys.count == 1, let key = c.allKeys.first else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                    "each transform is a map with one key, the op name; got \(c.allKeys.map(\.stringValue))"))
            }
            name = key.stringValue
            let empty = try c.decodeNil(forKey: key)
            switch name {
            case "DecodeImage":
                value = .decode(empty ? .bgr : try c.decode(DecodeImageOptions.self, forKey: key).mode)
            case "RecAug":
                value = .augment(empty ? RecAugment() : try c.decode(RecAugment.self, forKey: key))
            case "RecResizeImg", "SVTRRecResizeImg":
                guard !empty else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(name) needs image_shape")
                }
                value = .resize(try c.decode(ResizeOptions.self, forKey: key).resize)
            case "CTCLabelEncode", "MultiLabelEncode", "KeepKeys":
                // Labels are always CTC classes of the model's charset, and the loader always
                // delivers image + labels: these ops' options change nothing here.
                if !empty { _ = try c.decode(ConfigValue.self, forKey: key) }
                value = .accepted
            default:
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "transform '\(name)' is not supported for recognition (supported: \(RecTransforms.supportedOps.joined(separator: ", ")))")
            }
        }
    }

    struct DecodeImageOptions: Decodable {
        var mode: DecodeMode
        enum CodingKeys: String, CodingKey { case imgMode = "img_mode", channelFirst = "channel_first" }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            switch try c.decodeIfPresent(String.self, forKey: .imgMode) ?? "BGR" {
            case "BGR": mode = .bgr
            case "RGB": mode = .rgb
            case "GRAY": mode = .gray
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .imgMode, in: c, debugDescription: "img_mode '\(other)': use BGR, RGB or GRAY")
            }
            if try c.decodeIfPresent(Bool.self, forKey: .channelFirst) == true {
                throw DecodingError.dataCorruptedError(forKey: .channelFirst, in: c, debugDescription:
                    "channel_first: True is not supported (the loader lays out C x H x W itself)")
            }
        }
    }

    /// `RecResizeImg` / `SVTRRecResizeImg` options, PaddleOCR's and OCRKit's.
    struct ResizeOptions: Decodable {
        var resize: RecResize
        enum CodingKeys: String, CodingKey {
            case imageShape = "image_shape", padding, dynamicWidth = "dynamic_width", widthMultiple = "width_multiple"
            case inferMode = "infer_mode", evalMode = "eval_mode", characterDictPath = "character_dict_path"
        }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            resize = RecResize(imageShape: try c.decode([Int].self, forKey: .imageShape),
                               padding: try c.decodeIfPresent(Bool.self, forKey: .padding) ?? true,
                               dynamicWidth: try c.decodeIfPresent(Bool.self, forKey: .dynamicWidth) ?? false,
                               widthMultiple: try c.decodeIfPresent(Int.self, forKey: .widthMultiple) ?? 4)
            do { try resize.validate() } catch {
                throw DecodingError.dataCorruptedError(forKey: .imageShape, in: c, debugDescription: "\(error)")
            }
            for key in [CodingKeys.inferMode, .evalMode] where try c.decodeIfPresent(Bool.self, forKey: key) == true {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "\(key.stringValue): True (PaddleOCR's widen-to-the-image resize) is not supported; use dynamic_width")
            }
            _ = try c.decodeIfPresent(String.self, forKey: .characterDictPath)  // only used with infer_mode
        }
    }
}
