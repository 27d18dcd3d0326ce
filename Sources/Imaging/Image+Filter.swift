internal import CVision

extension Image {
    /// Gaussian blur. Kernel sizes are odd, or both 0 to derive them from the sigmas;
    /// `sigmaY` nil means `sigmaX`.
    public func gaussianBlurred(sigmaX: Double, sigmaY: Double? = nil, kernelWidth: Int = 0, kernelHeight: Int = 0,
                                border: BorderMode = .reflect101) throws -> Image {
        try withView { src in
            try Image.call(order: colorOrder) { out, err in
                cv_gaussian_blur(&out, src, Int32(clamping: kernelWidth), Int32(clamping: kernelHeight), sigmaX,
                                 sigmaY ?? sigmaX, border.c, &err)
            }
        }
    }
}
