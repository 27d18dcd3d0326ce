internal import CVision

/// The meaning of an image's channels. OpenCV's native orders are gray, BGR and BGRA; decoding
/// gives BGR by default (as `cv2.imdecode` gives PaddleOCR).
public enum ColorOrder: Sendable, Hashable, CaseIterable {
    case gray, bgr, rgb, bgra, rgba

    public var channels: Int {
        switch self {
        case .gray: 1
        case .bgr, .rgb: 3
        case .bgra, .rgba: 4
        }
    }

    /// The OpenCV-native order with the same channel count (what the encoders expect).
    var opencvNative: ColorOrder {
        switch self {
        case .gray: .gray
        case .bgr, .rgb: .bgr
        case .bgra, .rgba: .bgra
        }
    }

    /// The conversion code from `self` to `target`, nil when they are equal. Every pair is
    /// covered: a swap of R and B is the same operation in both directions.
    func conversion(to target: ColorOrder) -> cv_color_conversion? {
        switch (self, target) {
        case (.bgr, .rgb), (.rgb, .bgr): CVI_COLOR_BGR2RGB
        case (.bgr, .gray): CVI_COLOR_BGR2GRAY
        case (.rgb, .gray): CVI_COLOR_RGB2GRAY
        case (.bgr, .bgra), (.rgb, .rgba): CVI_COLOR_BGR2BGRA
        case (.bgr, .rgba), (.rgb, .bgra): CVI_COLOR_BGR2RGBA
        case (.gray, .bgr), (.gray, .rgb): CVI_COLOR_GRAY2BGR
        case (.gray, .bgra), (.gray, .rgba): CVI_COLOR_GRAY2BGRA
        case (.bgra, .bgr), (.rgba, .rgb): CVI_COLOR_BGRA2BGR
        case (.bgra, .rgb), (.rgba, .bgr): CVI_COLOR_BGRA2RGB
        case (.bgra, .gray): CVI_COLOR_BGRA2GRAY
        case (.rgba, .gray): CVI_COLOR_RGBA2GRAY
        case (.bgra, .rgba), (.rgba, .bgra): CVI_COLOR_BGRA2RGBA
        case (.gray, .gray), (.bgr, .bgr), (.rgb, .rgb), (.bgra, .bgra), (.rgba, .rgba): nil
        }
    }
}
