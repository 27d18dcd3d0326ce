internal import CVision

/// Which channels a decoded image has.
public enum DecodeMode: Sendable, Hashable {
    /// As stored: gray, BGR or BGRA (16-bit/float scaled to 8-bit). EXIF orientation is not
    /// applied in this mode (OpenCV's IMREAD_UNCHANGED).
    case keep
    /// One channel (BT.601 luma).
    case gray
    /// Three channels, B G R: what `cv2.imdecode` gives PaddleOCR.
    case bgr
    /// Three channels, R G B.
    case rgb

    var c: cv_decode_mode {
        switch self {
        case .keep: CVI_DECODE_KEEP
        case .gray: CVI_DECODE_GRAY
        case .bgr: CVI_DECODE_BGR
        case .rgb: CVI_DECODE_RGB
        }
    }

    /// The order of the result; nil for `.keep`, where the channel count decides.
    var order: ColorOrder? {
        switch self {
        case .keep: nil
        case .gray: .gray
        case .bgr: .bgr
        case .rgb: .rgb
        }
    }
}

extension DecodeMode {
    /// The decode mode that gives images in a model's channel order (alpha dropped).
    public init(decodingFor order: ColorOrder) {
        self = switch order {
        case .gray: .gray
        case .rgb, .rgba: .rgb
        case .bgr, .bgra: .bgr
        }
    }
}
