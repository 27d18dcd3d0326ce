import Imaging

// How a camera or scanner degrades the line: optics blur, resolution loss, sensor noise, and the
// lossy compression the image is stored with - in that order.
extension LineRenderer {
    func degrade(_ input: Image, random: inout SynthRandom) throws -> Image {
        let o = options
        var image = input
        if random.chance(o.blurProb) {
            let sigma = random.uniform(o.blurSigma)
            if sigma > 0.05 { image = try image.gaussianBlurred(sigmaX: sigma) }
        }
        if random.chance(o.downscaleProb) {
            let f = random.uniform(o.downscale)
            let (w, h) = (max(1, Int(Double(image.width) * f)), max(1, Int(Double(image.height) * f)))
            let up: Interpolation = random.chance(0.5) ? .linear : .cubic
            image = try image.resized(width: w, height: h, interpolation: .area)
                .resized(width: input.width, height: input.height, interpolation: up)
        }
        let noise = random.chance(o.noiseProb) ? random.uniform(o.noiseSigma) : 0
        let salt = random.chance(o.saltPepperProb) ? random.uniform(o.saltPepper) : 0
        if noise > 0 || salt > 0 {
            var pixels = image.pixels
            let n = image.width * image.height
            // Mostly luminance noise (the same on every channel), sometimes per-channel (colour) noise.
            let perChannel = random.chance(0.3)
            if noise > 0 {
                for i in 0..<n {
                    let shared = random.pixelGaussian() * noise
                    for c in 0..<3 {
                        let d = perChannel ? random.pixelGaussian() * noise : shared
                        pixels[i * 3 + c] = UInt8(min(255, max(0, (Double(pixels[i * 3 + c]) + d).rounded())))
                    }
                }
            }
            if salt > 0 {
                let count = Int(Double(n) * salt)
                for _ in 0..<count {
                    let i = random.int(below: n)
                    let v: UInt8 = random.chance(0.5) ? 255 : 0
                    pixels[i * 3] = v
                    pixels[i * 3 + 1] = v
                    pixels[i * 3 + 2] = v
                }
            }
            image = try Image(width: image.width, height: image.height, colorOrder: .bgr, pixels: pixels)
        }
        if random.chance(o.jpegProb) {
            let quality = Int(random.uniform(o.jpegQuality).rounded())
            image = try Image(decoding: try image.encoded(as: .jpeg(quality: quality)), mode: .bgr)
        }
        return image
    }
}
