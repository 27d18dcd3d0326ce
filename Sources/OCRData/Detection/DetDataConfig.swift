import Imaging
import OCRCore
import OCRPreprocess

/// A PaddleOCR `Train` or `Eval` section for detection (`det_mv3_db.yml`'s shape):
///
///     Train:
///       dataset:
///         name: SimpleDataSet            # or PackedDataSet (OCRKit), with `files: [pages.h5, ...]`
///         data_dir: ./train_data/icdar2015/text_localization/
///         label_file_list: [./train_data/icdar2015/text_localization/train_icdar2015_label.txt]
///         ratio_list: [1.0]
///         label_issue_policy: skip        # OCRKit: skip | fail (default: Global.data_issue_policy)
///         point_tolerance: 0              # OCRKit: pixels a point may lie outside its image
///         transforms:
///           - DecodeImage: {img_mode: BGR, channel_first: False}
///           - DetLabelEncode:
///           - IaaAugment:
///               augmenter_args:
///                 - {type: Fliplr, args: {p: 0.5}}
///                 - {type: Affine, args: {rotate: [-10, 10]}}
///                 - {type: Resize, args: {size: [0.5, 3]}}
///           - EastRandomCropData: {size: [640, 640], max_tries: 50, keep_ratio: true}
///           - MakeBorderMap: {shrink_ratio: 0.4, thresh_min: 0.3, thresh_max: 0.7}
///           - MakeShrinkMap: {shrink_ratio: 0.4, min_text_size: 8}
///           - NormalizeImage: {scale: 1./255., mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], order: hwc}
///           - ToCHWImage:
///           - KeepKeys: {keep_keys: [image, threshold_map, threshold_mask, shrink_map, shrink_mask]}
///       loader: {shuffle: True, drop_last: False, batch_size_per_card: 16, num_workers: 8}
///
/// An `Eval` section has `DetResizeForTest` (`limit_side_len`/`limit_type`, `image_shape`, or
/// `resize_long`) in place of the augmentation, crop and maps. Decode with
/// `ConfigTree.decode(DetDataSection.self, at: "Train")`, which rejects unknown keys.
/// `evaluating` and `resolvingPaths` come from `LineDataSection`, shared with rec and cls.
public typealias DetDataSection = DataSection<DetDatasetConfig>

extension DataSection where Dataset == DetDatasetConfig {
    /// The loader for this section. `issuePolicy` is `Global.data_issue_policy`, used unless the
    /// section sets `label_issue_policy`.
    ///
    /// `source`, a source built in code, is used instead of the section's own (label files, packs,
    /// or `name: SyntheticPages`); the section's transforms and loader options still apply.
    public func makeLoader(seed: UInt64, issuePolicy: LabelIssuePolicy = .skip,
                           source: (any DetectionSource)? = nil) throws -> DetectionLoader {
        let pipeline = try dataset.transforms.pipeline()
        let source = try source ?? dataset.makeSource(issuePolicy: issuePolicy)
        return DetectionLoader(source: source, pipeline: pipeline, options: loader, seed: seed)
    }
}

/// `Train.dataset` / `Eval.dataset` for detection.
public struct DetDatasetConfig: Decodable, Sendable {
    /// `SimpleDataSet` (label files) or `PackedDataSet` (OCRKit `.h5` page packs).
    public var name: String
    /// Image paths in label files are relative to it.
    public var dataDir: String
    public var labelFileList: [String]
    /// Packed `.h5` files (PackedDataSet).
    public var files: [String] = []
    /// Fraction of each file drawn per epoch: one value or one per file.
    public var ratioList: [Double]?
    /// OCRKit: skip or fail on a bad line or image; nil: the policy given to `makeSource`.
    /// Evaluation sets `exclude`.
    public var labelIssuePolicy: LabelIssuePolicy?
    /// OCRKit: what is checked about images up front.
    public var imageCheck: LabelFileDataset.ImageCheck
    /// OCRKit: pixels a point may lie outside its image before its line is an issue.
    public var pointTolerance: Double
    public var transforms: DetTransforms
    /// `name: SyntheticPages`: pages rendered from font files (its keys sit beside `transforms`).
    public var pages: SyntheticPagesConfig?

    /// Dataset names a detection section accepts.
    public static let supportedNames = ["SimpleDataSet", "PackedDataSet", SyntheticPages.configName]

    enum CodingKeys: String, CodingKey {
        // (data_dir, label_file_list, files, ratio_list, label_issue_policy, image_check: LabelSourceKeys)
        case name, labelFileList = "label_file_list", files, pointTolerance = "point_tolerance"
        case transforms, delimiter
    }

    public init(name: String = "SimpleDataSet", dataDir: String = "", labelFileList: [String] = [],
                transforms: DetTransforms = DetTransforms()) {
        self.name = name
        self.dataDir = dataDir
        self.labelFileList = labelFileList
        imageCheck = .exists
        pointTolerance = 0
        self.transforms = transforms
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        guard Self.supportedNames.contains(name) else {
            throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription:
                "dataset '\(name)' is not one of \(Self.supportedNames.joined(separator: ", ")) for detection")
        }
        if name == SyntheticPages.configName {
            // The same keys, read by the pages' own decoder (unknown keys are still rejected).
            pages = try SyntheticPagesConfig(from: decoder)
        }
        let keys = try LabelSourceKeys(from: decoder, excluded: "evaluation always excludes unreadable pages")
        (dataDir, labelFileList, files, ratioList) = (keys.dataDir, keys.labelFileList, keys.files, keys.ratioList)
        (labelIssuePolicy, imageCheck) = (keys.labelIssuePolicy, keys.imageCheck)
        pointTolerance = try c.decodeIfPresent(Double.self, forKey: .pointTolerance) ?? 0
        guard pointTolerance >= 0, pointTolerance.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: .pointTolerance, in: c, debugDescription:
                "point_tolerance must be a finite number >= 0, got \(pointTolerance)")
        }
        transforms = try c.decode(DetTransforms.self, forKey: .transforms)
        if let d = try c.decodeIfPresent(String.self, forKey: .delimiter), d != "\t" {
            throw DecodingError.dataCorruptedError(forKey: .delimiter, in: c, debugDescription: "only a tab delimiter is supported")
        }
        if name == "SimpleDataSet" && (labelFileList.isEmpty || !files.isEmpty) {
            throw DecodingError.dataCorruptedError(forKey: .labelFileList, in: c, debugDescription:
                "SimpleDataSet needs label_file_list (and takes no 'files')")
        }
        if name == "PackedDataSet" && (files.isEmpty || !labelFileList.isEmpty) {
            throw DecodingError.dataCorruptedError(forKey: .files, in: c, debugDescription:
                "PackedDataSet needs files: [...] of .h5 page packs (and takes no label_file_list)")
        }
    }

    /// The source (label files or packs); its `report` says what was left out.
    public func makeSource(issuePolicy: LabelIssuePolicy = .skip) throws -> any DetectionSource & DataReporting {
        if let pages { return try pages.makeDataset() }
        if name == "PackedDataSet" {
            var o = PackedPageDataset.Options(files: files, ratios: ratioList, policy: labelIssuePolicy ?? issuePolicy)
            o.decodeMode = transforms.decodeMode
            o.pointTolerance = pointTolerance
            return try PackedPageDataset(o)
        }
        var o = DetectionLabelDataset.Options(dataDir: dataDir, labelFiles: labelFileList, ratios: ratioList,
                                              policy: labelIssuePolicy ?? issuePolicy)
        o.imageCheck = imageCheck
        o.decodeMode = transforms.decodeMode
        o.pointTolerance = pointTolerance
        return try DetectionLabelDataset(o)
    }
}

extension DetDatasetConfig: LineDatasetFields {
    public var packedFiles: [String] {
        get { files }
        set { files = newValue }
    }

    public var rendered: (fonts: [String], corpus: String)? {
        get { pages.map { ($0.fonts, $0.corpus) } }
        set {
            guard let r = newValue else { return }
            pages?.fonts = r.fonts
            pages?.corpus = r.corpus
        }
    }
}
