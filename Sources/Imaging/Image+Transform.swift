internal import CVision

// Resampling: resize and the two warps. Sizes default to the source's.
extension Image {
    public func resized(width: Int, height: Int, interpolation: Interpolation = .linear) throws -> Image {
        try withView { src in
            try Image.call(order: colorOrder) { out, err in
                cv_resize(&out, src, Int32(clamping: width), Int32(clamping: height), interpolation.c, &err)
            }
        }
    }

    /// Warps by a 2x3 row-major `matrix` mapping source to destination coordinates (as
    /// `cv2.warpAffine`). `borderValue`: 1 value for every channel, or one per channel.
    public func warpedAffine(matrix: [Double], width: Int? = nil, height: Int? = nil,
                             interpolation: Interpolation = .linear, border: BorderMode = .constant,
                             borderValue: [Double] = [0]) throws -> Image {
        let value = try cScalar(borderValue, channels: channels, what: "warp_affine border value")
        return try withView { src in
            try Image.call(order: colorOrder) { out, err in
                cv_warp_affine(&out, src, matrix, Int32(clamping: matrix.count), Int32(clamping: width ?? self.width),
                               Int32(clamping: height ?? self.height), interpolation.c, border.c, value, &err)
            }
        }
    }

    /// Warps by a 3x3 row-major homography `matrix` (as `cv2.warpPerspective`); PaddleOCR crops
    /// text boxes this way with `.cubic` and `.replicate`.
    public func warpedPerspective(matrix: [Double], width: Int? = nil, height: Int? = nil,
                                  interpolation: Interpolation = .linear, border: BorderMode = .constant,
                                  borderValue: [Double] = [0]) throws -> Image {
        let value = try cScalar(borderValue, channels: channels, what: "warp_perspective border value")
        return try withView { src in
            try Image.call(order: colorOrder) { out, err in
                cv_warp_perspective(&out, src, matrix, Int32(clamping: matrix.count),
                                    Int32(clamping: width ?? self.width), Int32(clamping: height ?? self.height),
                                    interpolation.c, border.c, value, &err)
            }
        }
    }
}
