internal import CFont

/// One open FreeType/HarfBuzz face (a `cf_font`). Not thread-safe: a face is used by one thread
/// at a time, which `FontFile.withFace` arranges by lending faces out of a pool.
final class FontFace {
    let handle: cf_font
    let path: String
    private var pixelsPerEm: Double = 0

    init(path: String, faceIndex: Int) throws {
        var h = cf_font()
        var err = cf_error()
        try FontError.check(cf_font_open(&h, path, Int32(clamping: faceIndex), &err), &err)
        handle = h
        self.path = path
    }

    deinit { cf_font_free(handle) }

    struct Info {
        var family: String, style: String, format: String
        var faceCount: Int, glyphCount: Int, unitsPerEm: Int
    }

    func info() throws -> Info {
        var i = cf_font_info()
        var err = cf_error()
        try FontError.check(cf_font_get_info(handle, &i, &err), &err)
        func text<T>(_ tuple: inout T) -> String {
            withUnsafeBytes(of: &tuple) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
        }
        return Info(family: text(&i.family), style: text(&i.style), format: text(&i.format),
                    faceCount: Int(i.num_faces), glyphCount: Int(i.num_glyphs), unitsPerEm: Int(i.units_per_em))
    }

    /// Every mapped code point with its `cf_glyph_status` (present, blank or mismatch).
    func charmap() throws -> [(UInt32, GlyphStatus)] {
        var map = cf_charmap()
        var err = cf_error()
        try FontError.check(cf_font_get_charmap(handle, &map, &err), &err)
        defer { cf_charmap_free(&map) }
        return (0..<Int(map.count)).map { (map.codepoints[$0], GlyphStatus(raw: map.status[$0])) }
    }

    /// The status of each code point, straight from the C coverage check.
    func coverage(of codepoints: [UInt32]) throws -> [GlyphStatus] {
        var out = [UInt8](repeating: 0, count: codepoints.count)
        var err = cf_error()
        try FontError.check(cf_font_check_coverage(handle, codepoints, Int32(clamping: codepoints.count), &out, &err), &err)
        return out.map(GlyphStatus.init(raw:))
    }

    func setPixelSize(_ size: Double) throws {
        guard size != pixelsPerEm else { return }
        var err = cf_error()
        try FontError.check(cf_font_set_pixel_size(handle, size, &err), &err)
        pixelsPerEm = size
    }

    /// Shapes `text` at the current size; see `cf_shape`.
    func shape(_ text: String, letterSpacing: Float) throws -> ShapedRun {
        var run = cf_run()
        var err = cf_error()
        var utf8 = Array(text.utf8)
        utf8.append(0)
        try FontError.check(utf8.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) {
                cf_shape(handle, $0.baseAddress, Int32(clamping: utf8.count - 1), letterSpacing, &run, &err)
            }
        }, &err)
        defer { cf_run_free(&run) }
        let glyphs = Array(UnsafeBufferPointer(start: run.glyphs, count: Int(run.count)))
        return ShapedRun(glyphs: glyphs, notdefCount: Int(run.notdef_count))
    }

    /// Rasterises a shaped run at the current size; `transforms` is empty or one per glyph.
    func rasterize(_ run: ShapedRun, transforms: [GlyphTransform], embolden: Float, shear: Float,
                   padding: Int) throws -> GlyphMask {
        precondition(transforms.isEmpty || transforms.count == run.glyphs.count, "one transform per glyph")
        var mask = cf_mask()
        var err = cf_error()
        let options = cf_raster_options(embolden: embolden, shear: shear, padding: Int32(clamping: padding))
        let ct = transforms.map { cf_glyph_transform(dx: $0.dx, dy: $0.dy, angle: $0.angle, scale: $0.scale) }
        let status = run.glyphs.withUnsafeBufferPointer { g in
            ct.withUnsafeBufferPointer { t in
                cf_rasterize(handle, g.baseAddress, Int32(clamping: g.count), ct.isEmpty ? nil : t.baseAddress, options,
                             &mask, &err)
            }
        }
        try FontError.check(status, &err)
        defer { cf_mask_free(&mask) }
        let w = Int(mask.width), h = Int(mask.height)
        return GlyphMask(
            width: w, height: h, pixels: Array(UnsafeBufferPointer(start: mask.pixels, count: w * h)),
            baselineY: Int(mask.baseline_y), originX: Double(mask.origin_x), advance: Double(mask.advance),
            ascender: Double(mask.ascender), descender: Double(mask.descender),
            ink: mask.ink_right > mask.ink_left
                ? PixelBox(left: Int(mask.ink_left), top: Int(mask.ink_top), right: Int(mask.ink_right),
                           bottom: Int(mask.ink_bottom))
                : nil)
    }
}

/// What a font's character map says about one code point (`cf_glyph_status`).
enum GlyphStatus: UInt8, Sendable {
    case present = 0, missing = 1, blank = 2, mismatch = 3

    init(raw: UInt8) { self = GlyphStatus(rawValue: raw) ?? .missing }
}

/// A shaped run: glyphs in visual order with pixel advances and offsets (y up).
struct ShapedRun {
    var glyphs: [cf_glyph]
    /// Glyphs with index 0 (.notdef): > 0 means the font would draw tofu.
    var notdefCount: Int
}

/// Per-glyph jitter for handwriting; see `cf_glyph_transform`.
struct GlyphTransform {
    var dx: Float = 0, dy: Float = 0, angle: Float = 0, scale: Float = 1
}

/// A rectangle of pixels, [left, right) x [top, bottom).
struct PixelBox: Equatable {
    var left: Int, top: Int, right: Int, bottom: Int
    var width: Int { right - left }
    var height: Int { bottom - top }
}
