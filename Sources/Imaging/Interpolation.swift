internal import CVision

/// How resize and warps sample between source pixels.
public enum Interpolation: Sendable, Hashable {
    case nearest
    case linear
    case cubic
    /// Pixel-area averaging: the right choice when shrinking. Warps treat it as linear.
    case area
    case lanczos4

    var c: cv_interpolation {
        switch self {
        case .nearest: CVI_INTER_NEAREST
        case .linear: CVI_INTER_LINEAR
        case .cubic: CVI_INTER_CUBIC
        case .area: CVI_INTER_AREA
        case .lanczos4: CVI_INTER_LANCZOS4
        }
    }
}
