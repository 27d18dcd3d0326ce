import OCRCore

/// What a `Train`/`Eval` dataset config of any line task holds besides its transforms: where the
/// files are and how bad samples are handled. Recognition and classification sections share the
/// path resolution and the evaluation reading below through it.
public protocol LineDatasetFields {
    var dataDir: String { get set }
    var labelFileList: [String] { get set }
    /// Packed `.h5` files (recognition only; empty otherwise).
    var packedFiles: [String] { get set }
    var ratioList: [Double]? { get set }
    var labelIssuePolicy: LabelIssuePolicy? { get set }
    var synthetic: SyntheticLinesConfig? { get set }
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
        if var syn = s.dataset.synthetic {
            syn.fonts = syn.fonts.map(resolve)
            syn.corpus = resolve(syn.corpus)
            s.dataset.synthetic = syn
        }
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

extension RecDataSection: LineDataSection {}
extension RecDatasetConfig: LineDatasetFields {
    public var packedFiles: [String] {
        get { files }
        set { files = newValue }
    }
}

extension ClsDataSection: LineDataSection {}
extension ClsDatasetConfig: LineDatasetFields {
    public var packedFiles: [String] {
        get { [] }
        set { precondition(newValue.isEmpty, "cls sections read no packed files") }
    }
}
