import Imaging
import OCRCore

/// A `Train` or `Eval` section for the text-line angle classifier (PaddleOCR's
/// `configs/cls/cls_mv3.yml`), decoded with `ConfigTree.decode(ClsDataSection.self, at: "Train")`,
/// which rejects unknown keys:
///
///     Train:
///       dataset:
///         name: SimpleDataSet          # label files `path<TAB>0` / `path<TAB>180`; or SyntheticLines
///         data_dir: ./train_data/cls
///         label_file_list: [./train_data/cls/train.txt]
///         rotate_180: 0.5              # OCRKit: turn this fraction of (upright) lines, label them itself
///         transforms:
///           - DecodeImage: {img_mode: BGR, channel_first: False}
///           - ClsLabelEncode:
///           - RecAug:                  # OCRKit's augmentation (PaddleOCR: BaseDataAugmentation, RandAugment)
///           - ClsResizeImg: {image_shape: [3, 48, 192]}
///           - KeepKeys: {keep_keys: [image, label]}
///       loader: {shuffle: True, batch_size_per_card: 512, drop_last: True, num_workers: 8}
///
/// A `SyntheticLines` dataset takes the keys of `SyntheticLinesConfig` plus `rotate_180` and
/// `transforms`. Relative paths are left as written, for the run config to resolve.
public typealias ClsDataSection = DataSection<ClsDatasetConfig>

extension DataSection where Dataset == ClsDatasetConfig {
    /// The loader for this section. Its batches' `texts` are the labels (`LineBatch.labels` stays
    /// empty): `labels.index(of:)` gives each sample's class.
    public func makeLoader(labels: ClassLabels = .angles, seed: UInt64, issuePolicy: LabelIssuePolicy = .skip) throws -> LineLoader {
        LineLoader(dataset: try dataset.makeDataset(labels: labels, issuePolicy: issuePolicy), pipeline: try dataset.transforms.pipeline(),
                   options: loader, seed: seed)
    }
}

/// `Train.dataset` / `Eval.dataset` of a cls config: PaddleOCR's `SimpleDataSet` (cls label
/// files) or OCRKit's `SyntheticLines`, optionally turned by `RotatedLineDataset` (`rotate_180`).
public struct ClsDatasetConfig: Decodable, Sendable {
    public static let supportedNames = ["SimpleDataSet", SyntheticLineDataset.configName]

    /// `SimpleDataSet` or `SyntheticLines`.
    public var name: String
    /// Image paths in label files are relative to it (SimpleDataSet).
    public var dataDir: String = ""
    /// Label files (SimpleDataSet).
    public var labelFileList: [String] = []
    /// Fraction of each file drawn per epoch: one value or one per file.
    public var ratioList: [Double]?
    /// OCRKit: what to do with a bad line or image (report and leave out, or stop).
    public var labelIssuePolicy: LabelIssuePolicy?
    /// OCRKit: what is checked about images up front (SimpleDataSet).
    public var imageCheck: LabelFileDataset.ImageCheck = .exists
    /// OCRKit: what a sample's metrics group is (SimpleDataSet).
    public var groupBy: LabelFileDataset.Grouping = .labelFile
    /// OCRKit `rotate_180`: the fraction of samples turned by 180 degrees and labelled with the
    /// second label, the rest labelled with the first; the source lines must be upright. nil:
    /// the label files' texts are the labels. Required for SyntheticLines.
    public var rotate180: Double?
    public var transforms: ClsTransforms
    /// `SyntheticLines`: fonts, corpus and rendering options.
    public var synthetic: SyntheticLinesConfig?

    enum CodingKeys: String, CodingKey {
        case name, dataDir = "data_dir", labelFileList = "label_file_list", ratioList = "ratio_list"
        case labelIssuePolicy = "label_issue_policy", imageCheck = "image_check", groupBy = "group_by"
        case rotate180 = "rotate_180", transforms, delimiter
    }

    /// A section built in code: label files, or `synthetic` lines (which need `rotate180`).
    public init(labelFiles: [String] = [], dataDir: String = "", synthetic: SyntheticLinesConfig? = nil,
                rotate180: Double? = nil, transforms: ClsTransforms = ClsTransforms()) {
        name = synthetic == nil ? "SimpleDataSet" : SyntheticLineDataset.configName
        labelFileList = labelFiles
        self.dataDir = dataDir
        self.synthetic = synthetic
        self.rotate180 = rotate180
        self.transforms = transforms
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        guard Self.supportedNames.contains(name) else {
            throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription:
                "cls dataset '\(name)' is not one of \(Self.supportedNames.joined(separator: ", "))")
        }
        rotate180 = try c.decodeIfPresent(Double.self, forKey: .rotate180)
        transforms = try c.decodeIfPresent(ClsTransforms.self, forKey: .transforms) ?? ClsTransforms()
        if let r = rotate180, !(0...1).contains(r) {
            throw DecodingError.dataCorruptedError(forKey: .rotate180, in: c, debugDescription: "rotate_180 must be in 0...1, got \(r)")
        }
        if name == SyntheticLineDataset.configName {
            // the same map, read by the synthetic section's own decoder (its unknown keys still rejected)
            synthetic = try SyntheticLinesConfig(from: decoder)
            guard rotate180 != nil else {
                throw DecodingError.dataCorruptedError(forKey: .rotate180, in: c, debugDescription:
                    "SyntheticLines renders upright lines: set rotate_180 (e.g. 0.5) to turn and label a fraction of them")
            }
            return
        }
        dataDir = try c.decodeIfPresent(String.self, forKey: .dataDir) ?? ""
        if let one = try? c.decode(String.self, forKey: .labelFileList) { labelFileList = [one] }
        else { labelFileList = try c.decode([String].self, forKey: .labelFileList) }
        if let one = try? c.decode(Double.self, forKey: .ratioList) { ratioList = [one] }
        else { ratioList = try c.decodeIfPresent([Double].self, forKey: .ratioList) }
        labelIssuePolicy = try c.decodeIfPresent(LabelIssuePolicy.self, forKey: .labelIssuePolicy)
        if labelIssuePolicy == .exclude {
            throw DecodingError.dataCorruptedError(forKey: .labelIssuePolicy, in: c, debugDescription:
                "label_issue_policy exclude is what evaluation uses by itself; a section takes skip or fail")
        }
        imageCheck = try c.decodeIfPresent(LabelFileDataset.ImageCheck.self, forKey: .imageCheck) ?? .exists
        groupBy = try c.decodeIfPresent(LabelFileDataset.Grouping.self, forKey: .groupBy) ?? .labelFile
        if let d = try c.decodeIfPresent(String.self, forKey: .delimiter), d != "\t" {
            throw DecodingError.dataCorruptedError(forKey: .delimiter, in: c, debugDescription: "only a tab delimiter is supported")
        }
    }

    /// Builds the dataset: its samples' texts are labels of `labels`. Label files without
    /// `rotate_180` are checked line by line (`ClassLabels.validate`).
    /// `issuePolicy` (`Global.data_issue_policy`) applies unless `labelIssuePolicy` is set.
    public func makeDataset(labels: ClassLabels = .angles, issuePolicy: LabelIssuePolicy = .skip) throws -> any LineDataset & DataReporting {
        let base: any LineDataset & DataReporting
        if let synthetic {
            base = try synthetic.makeDataset(charset: nil)
        } else {
            var o = LabelFileDataset.Options(dataDir: dataDir, labelFiles: labelFileList, ratios: ratioList, policy: labelIssuePolicy ?? issuePolicy)
            o.imageCheck = imageCheck
            o.grouping = groupBy
            o.decodeMode = transforms.decodeMode
            let files = try LabelFileDataset(o)
            if rotate180 == nil { try labels.validate(files) }
            base = files
        }
        guard let rotate180 else { return base }
        guard labels.count == 2 else {
            throw DataError("rotate_180 makes two classes (upright, turned); label_list has \(labels.count): \(labels.labels)")
        }
        return try RotatedLineDataset(base: base, rotatedFraction: rotate180, uprightLabel: labels.labels[0],
                                      rotatedLabel: labels.labels[1])
    }
}
