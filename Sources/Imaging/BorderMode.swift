internal import CVision

/// What pixels outside the image read as (warps, blur).
public enum BorderMode: Sendable, Hashable {
    /// A fixed value (`borderValue`).
    case constant
    /// `aaa|abcd|ddd`
    case replicate
    /// `cba|abcd|dcb`
    case reflect
    /// `dcb|abcd|cba`: OpenCV's default for filters.
    case reflect101
    /// `bcd|abcd|abc`: warps only.
    case wrap

    var c: cv_border_mode {
        switch self {
        case .constant: CVI_BORDER_CONSTANT
        case .replicate: CVI_BORDER_REPLICATE
        case .reflect: CVI_BORDER_REFLECT
        case .reflect101: CVI_BORDER_REFLECT101
        case .wrap: CVI_BORDER_WRAP
        }
    }
}
