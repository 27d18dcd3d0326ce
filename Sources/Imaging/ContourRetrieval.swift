internal import CVision

/// Which contours `findContours` returns (no hierarchy is returned in any mode).
public enum ContourRetrieval: Sendable, Hashable {
    /// Outer contours only.
    case external
    /// All contours: what PaddleOCR's DB post-processing uses.
    case list
    case ccomp
    case tree

    var c: cv_contour_mode {
        switch self {
        case .external: CVI_RETR_EXTERNAL
        case .list: CVI_RETR_LIST
        case .ccomp: CVI_RETR_CCOMP
        case .tree: CVI_RETR_TREE
        }
    }
}
