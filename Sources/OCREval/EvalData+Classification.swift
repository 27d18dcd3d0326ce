import OCRData

extension EvalData {
    /// A classifier's Eval section for label files given on the command line (`path<TAB>0`,
    /// `path<TAB>180`, image paths relative to the label files' folder): `base`'s transforms and
    /// batch size, the files' own labels (no `rotate_180`, no synthetic lines), read as
    /// `ClsDataSection.evaluating` reads. Packed `.h5` files hold recognition lines, not classes.
    public static func section(for data: [String], like base: ClsDataSection) throws -> ClsDataSection {
        if let packed = data.first(where: { $0.hasSuffix(".h5") || $0.hasSuffix(".hdf5") }) {
            throw TrainError("--data \(packed): a classifier is evaluated on label files (path<TAB>label, one of its label_list); packed .h5 files are for recognisers")
        }
        var s = base
        s.dataset = ClsDatasetConfig(labelFiles: data, dataDir: try dataFolder(of: data, packHint: false), transforms: base.dataset.transforms)
        s.dataset.transforms.augment = nil
        return s.evaluating
    }
}
