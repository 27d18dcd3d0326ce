import OCRData
import OCRPreprocess

extension EvalData {
    /// The Eval section for det label files given on the command line (`--data`): `base`'s
    /// evaluation transforms (its `DetResizeForTest`, or PaddleOCR's default when `base` is a
    /// Train section), every page once, in file order.
    public static func section(for data: [String], like base: DetDataSection) throws -> DetDataSection {
        var s = base
        let packed = data.filter { $0.hasSuffix(".h5") || $0.hasSuffix(".hdf5") }
        guard packed.isEmpty || packed.count == data.count else {
            throw TrainError("--data: give either .h5 packs or det label files, not both")
        }
        var transforms = base.dataset.transforms
        if transforms.resize == nil {
            transforms = DetTransforms(augment: nil, crop: nil, border: nil, shrink: nil, resize: DetResize(), normalize: transforms.normalize)
        }
        var d = DetDatasetConfig(name: packed.isEmpty ? "SimpleDataSet" : "PackedDataSet",
                                 dataDir: packed.isEmpty ? try dataFolder(of: data, packHint: false) : "",
                                 labelFileList: data, transforms: transforms)
        d.pointTolerance = base.dataset.pointTolerance
        s.dataset = d
        s.loader.batchSize = 1
        return s.evaluating
    }
}
