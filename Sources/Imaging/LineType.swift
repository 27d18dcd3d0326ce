internal import CVision

/// How polygon edges are rasterised.
public enum LineType: Sendable, Hashable {
    case connected4
    /// OpenCV's default.
    case connected8
    case antialiased

    var c: cv_line_type {
        switch self {
        case .connected4: CVI_LINE_4
        case .connected8: CVI_LINE_8
        case .antialiased: CVI_LINE_AA
        }
    }
}
