import CHDF5

/// What a path in a file names.
public enum H5ObjectKind: Sendable {
    case group, dataset, other

    init(_ c: h5_kind) {
        switch c {
        case H5KIND_GROUP: self = .group
        case H5KIND_DATASET: self = .dataset
        default: self = .other
        }
    }
}
