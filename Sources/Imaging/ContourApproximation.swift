internal import CVision

/// Which boundary points `findContours` keeps.
public enum ContourApproximation: Sendable, Hashable {
    /// Every boundary pixel.
    case none
    /// Straight runs collapsed to their end points (a rectangle gives 4 points).
    case simple

    var c: cv_contour_method {
        switch self {
        case .none: CVI_CHAIN_APPROX_NONE
        case .simple: CVI_CHAIN_APPROX_SIMPLE
        }
    }
}
