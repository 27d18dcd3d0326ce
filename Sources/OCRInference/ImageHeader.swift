import Foundation

/// An image file's pixel size read from its header, before anything is decoded - so a page past
/// the size limit (or a hostile 60000 x 60000 header) is refused without allocating it. Knows
/// PNG, JPEG, BMP, GIF and WebP; nil for other formats (their size is checked after decoding).
enum ImageHeader {
    static func size(of data: Data) -> (width: Int, height: Int)? {
        let b = [UInt8](data.prefix(64 * 1024 + 64))
        func be16(_ i: Int) -> Int { i + 1 < b.count ? Int(b[i]) << 8 | Int(b[i + 1]) : 0 }
        func le16(_ i: Int) -> Int { i + 1 < b.count ? Int(b[i]) | Int(b[i + 1]) << 8 : 0 }
        func be32(_ i: Int) -> Int { be16(i) << 16 | be16(i + 2) }
        func le32(_ i: Int) -> Int { le16(i) | le16(i + 2) << 16 }
        func starts(_ s: [UInt8], at i: Int = 0) -> Bool { b.count >= i + s.count && Array(b[i..<i + s.count]) == s }

        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), starts(Array("IHDR".utf8), at: 12) {
            return (be32(16), be32(20))
        }
        if starts([0xFF, 0xD8]) { return jpegSize(data) }
        if starts(Array("BM".utf8)), b.count >= 26 {
            return (le32(18), abs(Int(Int32(truncatingIfNeeded: UInt32(le32(22))))))
        }
        if starts(Array("GIF8".utf8)), b.count >= 10 { return (le16(6), le16(8)) }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) {
            if starts(Array("VP8X".utf8), at: 12), b.count >= 30 {
                return (1 + (Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16), 1 + (Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16))
            }
            if starts(Array("VP8 ".utf8), at: 12), b.count >= 30 { return (le16(26) & 0x3FFF, le16(28) & 0x3FFF) }
            if starts(Array("VP8L".utf8), at: 12), b.count >= 25 {
                let bits = le32(21)
                return (1 + bits & 0x3FFF, 1 + (bits >> 14) & 0x3FFF)
            }
        }
        return nil
    }

    /// The size in a JPEG's first start-of-frame segment (SOF0...SOF15 but DHT, JPG, DAC).
    static func jpegSize(_ data: Data) -> (width: Int, height: Int)? {
        var i = 2
        let n = data.count
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> (Int, Int)? in
            let b = raw.bindMemory(to: UInt8.self)
            while i + 9 < n {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue }
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    return (Int(b[i + 7]) << 8 | Int(b[i + 8]), Int(b[i + 5]) << 8 | Int(b[i + 6]))
                }
                if marker == 0xDA { return nil }
                i += 2 + length
            }
            return nil
        }
    }

    /// Whether a JPEG's data ends its image: an end-of-image marker after the first scan. libjpeg
    /// decodes a truncated file without complaint (the missing rows grey), which would read as a
    /// page with nothing on its lower part; inside scan data 0xFF is always followed by 0x00 or a
    /// restart marker, so an FF D9 there is the real end.
    static func jpegIsComplete(_ data: Data) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 2, scan = -1
            while i + 3 < b.count {
                guard b[i] == 0xFF else { return false }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue }
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                if marker == 0xDA { scan = i; break }
                i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
            }
            guard scan >= 0 else { return false }
            var j = b.count - 2
            while j > scan {
                if b[j] == 0xFF && b[j + 1] == 0xD9 { return true }
                j -= 1
            }
            return false
        }
    }
}
