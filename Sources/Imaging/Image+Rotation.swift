// Quarter-turn rotations that move pixels without resampling. Pure Swift: a 180-degree turn is
// the pixel order reversed, so it is exact and needs no OpenCV call.
extension Image {
    /// The image turned by 180 degrees (as `cv2.rotate(img, cv2.ROTATE_180)`): pixel (x, y)
    /// moves to (width - 1 - x, height - 1 - y), each pixel's channels kept in order.
    public func rotated180() -> Image {
        let c = channels, n = width * height
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let from = i * c, to = (n - 1 - i) * c
                    for k in 0..<c { dst[to + k] = src[from + k] }
                }
            }
        }
        var turned = self
        turned.pixels = out
        return turned
    }
}
