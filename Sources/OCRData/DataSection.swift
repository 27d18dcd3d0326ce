import OCRCore

/// What a `Train`/`Eval` dataset config of any task holds besides its transforms: where the
/// files are and how bad samples are handled. Recognition, classification and detection sections share the
/// path resolution and the evaluation reading below through it.
public protocol LineDatasetFields {
    var dataDir: String { get set }
    var labelFileList: [String] { get set }
    /// Packed `.h5` files (rec and det; empty for cls).
    var packedFiles: [String] { get set }
    var ratioList: [Double]? { get set }
    var labelIssuePolicy: LabelIssuePolicy? { get set }
    /// The font files and corpus of a rendered dataset (synthetic lines or pages), nil otherwise.
    var rendered: (fonts: [String], corpus: String)? { get set }
}

/// A PaddleOCR `Train` or `Eval` section of any task: the task's `dataset` config
/// (`RecDatasetConfig`, `ClsDatasetConfig`, `DetDatasetConfig`) and the shared `loader` options
/// (default ones when the section has none). Each task adds its `makeLoader` in an extension.
public struct DataSection<Dataset: Decodable & Sendable>: Decodable, Sendable {
    public var dataset: Dataset
    public var loader: LoaderOptions

    enum CodingKeys: String, CodingKey { case dataset, loader }

    public init(dataset: Dataset, loader: LoaderOptions = LoaderOptions()) {
        self.dataset = dataset
        self.loader = loader
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try c.decode(Dataset.self, forKey: .dataset)
        loader = try c.decodeIfPresent(LoaderOptions.self, forKey: .loader) ?? LoaderOptions()
    }
}

/// A `Train` or `Eval` section: a dataset and its loader.
public protocol LineDataSection {
    associatedtype Dataset: LineDatasetFields
    var dataset: Dataset { get set }
    var loader: LoaderOptions { get set }
}

extension LineDataSection {
    /// The section with every file path passed through `resolve` (the run config resolves them
    /// against the config's folder).
    public func resolvingPaths(_ resolve: (String) -> String) -> Self {
        var s = self
        s.dataset.dataDir = s.dataset.dataDir.isEmpty ? "" : resolve(s.dataset.dataDir)
        s.dataset.labelFileList = s.dataset.labelFileList.map(resolve)
        s.dataset.packedFiles = s.dataset.packedFiles.map(resolve)
        if let r = s.dataset.rendered { s.dataset.rendered = (r.fonts.map(resolve), resolve(r.corpus)) }
        return s
    }

    /// What an evaluation reads: every sample once, in file order (no shuffling, no `drop_last`,
    /// no `ratio_list` sampling), and policy `exclude` - a sample whose image cannot be read is
    /// left out and listed, never replaced by another (which would then be scored twice).
    public var evaluating: Self {
        var s = self
        s.dataset.labelIssuePolicy = .exclude
        s.dataset.ratioList = nil
        s.loader.shuffle = false
        s.loader.dropLast = false
        return s
    }
}

extension DataSection: LineDataSection where Dataset: LineDatasetFields {}
extension RecDatasetConfig: LineDatasetFields {
    public var packedFiles: [String] {
        get { files }
        set { files = newValue }
    }

    public var rendered: (fonts: [String], corpus: String)? {
        get { synthetic.map { ($0.fonts, $0.corpus) } }
        set { synthetic?.setSources(newValue) }
    }
}

extension ClsDatasetConfig: LineDatasetFields {
    public var packedFiles: [String] {
        get { [] }
        set { precondition(newValue.isEmpty, "cls sections read no packed files") }
    }

    public var rendered: (fonts: [String], corpus: String)? {
        get { synthetic.map { ($0.fonts, $0.corpus) } }
        set { synthetic?.setSources(newValue) }
    }
}

extension SyntheticLinesConfig {
    mutating func setSources(_ r: (fonts: [String], corpus: String)?) {
        guard let r else { return }
        (fonts, corpus) = r
    }
}

/// The keys that say where a rec or det dataset's records come from, read the same way for both
/// from the dataset's map: PaddleOCR's `data_dir`, `label_file_list` and `ratio_list` (each one
/// value or a list), OCRKit's `files` (packs), `label_issue_policy` (skip or fail) and
/// `image_check`. Each task's config reads its other keys itself from the same map.
struct LabelSourceKeys {
    var dataDir: String
    var labelFileList: [String]
    var files: [String]
    var ratioList: [Double]?
    var labelIssuePolicy: LabelIssuePolicy?
    var imageCheck: LabelFileDataset.ImageCheck

    enum CodingKeys: String, CodingKey {
        case dataDir = "data_dir", labelFileList = "label_file_list", files, ratioList = "ratio_list"
        case labelIssuePolicy = "label_issue_policy", imageCheck = "image_check"
    }

    /// `excluded`: why `label_issue_policy: exclude` is not a choice, for the message.
    init(from decoder: Decoder, excluded: String) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func stringOrList(_ key: CodingKeys) throws -> [String] {
            guard c.contains(key) else { return [] }
            if let one = try? c.decode(String.self, forKey: key) { return [one] }
            return try c.decode([String].self, forKey: key)
        }
        dataDir = try c.decodeIfPresent(String.self, forKey: .dataDir) ?? ""
        labelFileList = try stringOrList(.labelFileList)
        files = try stringOrList(.files)
        if c.contains(.ratioList) {
            if let one = try? c.decode(Double.self, forKey: .ratioList) { ratioList = [one] }
            else { ratioList = try c.decode([Double].self, forKey: .ratioList) }
        }
        labelIssuePolicy = try c.decodeIfPresent(LabelIssuePolicy.self, forKey: .labelIssuePolicy)
        if labelIssuePolicy == .exclude {
            throw DecodingError.dataCorruptedError(forKey: .labelIssuePolicy, in: c, debugDescription:
                "label_issue_policy: exclude is not a config choice (\(excluded)); use skip or fail")
        }
        imageCheck = try c.decodeIfPresent(LabelFileDataset.ImageCheck.self, forKey: .imageCheck) ?? .exists
    }
}
