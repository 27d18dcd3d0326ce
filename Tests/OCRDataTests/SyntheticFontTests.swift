import CFont
import Foundation
import OCRCore
import XCTest
@testable import OCRData

/// Font loading, coverage and the CFont boundary (each entry point's error path).
final class SyntheticFontTests: XCTestCase {
    // MARK: Coverage

    func testDejaVuLacksCJKAndPrivateUseButCoversASCII() throws {
        let font = try FontFile(path: SynthFixtures.dejaVuSans)
        XCTAssertEqual(font.family, "DejaVu Sans")
        XCTAssertEqual(font.missingCharacters(in: "abc 中 x\u{E000}中"), ["中", "\u{E000}"])
        let ascii = String((0x20...0x7E).map { Character(Unicode.Scalar($0)!) })
        XCTAssertEqual(font.missingCharacters(in: ascii), [])
        // Composed and decomposed accents both count as covered (HarfBuzz picks what the font has).
        XCTAssertTrue(font.covers("e\u{301}"))
        XCTAssertTrue(font.covers("\u{E9}"))
        // The C check agrees: A present, CJK and U+E000 missing, space blank.
        XCTAssertEqual(try font.rawCoverage(of: [0x41, 0x4E2D, 0xE000, 0x20]), [.present, .missing, .missing, .blank])
    }

    func testLatinFontsCoverASCIIAndCharsetCoverageCounts() throws {
        let ascii = String((0x21...0x7E).map { Character(Unicode.Scalar($0)!) })
        for path in [SynthFixtures.liberationSans, SynthFixtures.nimbusSansType1, SynthFixtures.dancingScript] {
            let font = try FontFile(path: path)
            XCTAssertEqual(font.missingCharacters(in: ascii), [], path)
        }
        let charset = try Charset(characters: "ab中€", useSpaceChar: true)
        let coverage = try FontFile(path: SynthFixtures.liberationSans).coverage(of: charset)
        XCTAssertEqual(coverage.missing, ["中"])
        XCTAssertEqual(coverage.covered, ["a", "b", "€", " "])
        XCTAssertEqual(coverage.fraction, 0.8, accuracy: 1e-9)
    }

    func testType1FontLoads() throws {
        let font = try FontFile(path: SynthFixtures.nimbusSansType1)
        XCTAssertEqual(font.format, "Type 1")
        XCTAssertEqual(font.family, "Nimbus Sans")
    }

    /// URW's Standard Symbols .otf maps "A" to Alpha: drawing "ABC" with it would show Greek.
    func testSymbolFontDoesNotCoverASCIILetters() throws {
        let font = try FontFile(path: SynthFixtures.standardSymbolsOTF)
        XCTAssertEqual(font.missingCharacters(in: "A1z"), ["A", "z"])  // its digits are digits
        XCTAssertTrue(font.mismatchedCharacters.contains("A"))
        XCTAssertTrue(font.covers("1+2=3"))
        // Its small letters map to Greek (x to chi): not mistaken for a caps-only font.
        XCTAssertFalse(font.drawsLowercaseAsCapitals)
        XCTAssertEqual(try font.rawCoverage(of: [0x41]), [.mismatch])
        XCTAssertEqual(try FontFile(path: SynthFixtures.dejaVuSans).mismatchedCharacters, [])
    }

    /// Humor Sans draws a..z as small capitals: lowercase text would get uppercase glyphs.
    func testCapsOnlyFontDoesNotCoverLowercase() throws {
        let humor = try FontFile(path: SynthFixtures.humorSans)
        XCTAssertTrue(humor.drawsLowercaseAsCapitals)
        XCTAssertEqual(humor.missingCharacters(in: "Ab1c"), ["b", "c"])
        XCTAssertTrue(humor.covers("HELLO, 123!"))
        for path in [SynthFixtures.dejaVuSans, SynthFixtures.dkgHandwriting, SynthFixtures.dancingScript] {
            XCTAssertFalse(try FontFile(path: path).drawsLowercaseAsCapitals, path)
        }
    }

    // MARK: Loading

    func testFamilyNameIsRejectedWithHint() throws {
        XCTAssertThrowsError(try FontFile.load(["DejaVu Sans"])) { error in
            let e = error as? FontError
            XCTAssertEqual(e?.kind, .notFound)
            let message = e?.message ?? ""
            XCTAssertTrue(message.contains("not by family name"), message)
            // fontconfig lists the matching files; without fc-list the hint names the command.
            XCTAssertTrue(message.contains("DejaVuSans.ttf") || message.contains("fc-list"), message)
        }
        XCTAssertThrowsError(try FontFile(path: "Dancing Script")) { error in
            XCTAssertTrue("\(error)".contains("DancingScript-Regular.otf") || "\(error)".contains("fc-list"), "\(error)")
        }
        XCTAssertThrowsError(try FontFile.load(["/no/such/font.ttf"])) { error in
            XCTAssertEqual((error as? FontError)?.kind, .notFound)
            XCTAssertTrue("\(error)".contains("/no/such/font.ttf"))
        }
    }

    func testDirectoryIsScannedRecursively() throws {
        let dir = try SynthFixtures.scratchDirectory("fontdir")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/hand/more", withIntermediateDirectories: true)
        try fm.copyItem(atPath: SynthFixtures.dejaVuSans, toPath: dir + "/DejaVuSans.ttf")
        try fm.copyItem(atPath: SynthFixtures.dkgHandwriting, toPath: dir + "/hand/more/dkg.TTF")
        // The same face as Type 1 and OpenType: one is kept (the OpenType), one reported.
        try fm.copyItem(atPath: SynthFixtures.nimbusSansType1, toPath: dir + "/hand/NimbusSans-Regular.t1")
        try fm.copyItem(atPath: SynthFixtures.nimbusSansOTF, toPath: dir + "/NimbusSans-Regular.otf")
        try Data("not a font".utf8).write(to: URL(fileURLWithPath: dir + "/broken.ttf"))
        try Data("hello".utf8).write(to: URL(fileURLWithPath: dir + "/readme.txt"))

        let found = try FontFile.load([dir])
        XCTAssertEqual(found.fonts.map(\.name).sorted(), ["DejaVuSans.ttf", "NimbusSans-Regular.otf", "dkg.TTF"])
        XCTAssertEqual(found.skipped.map(\.path), [dir + "/broken.ttf"])
        XCTAssertTrue(found.skipped[0].reason.contains("not a font file"), found.skipped[0].reason)
        XCTAssertEqual(found.duplicates.map(\.path), [dir + "/hand/NimbusSans-Regular.t1"])
        XCTAssertEqual(found.remarks.count, 2)
        // Without deduplication both Nimbus files load.
        XCTAssertEqual(try FontFile.load([dir], deduplicate: false).fonts.count, 4)
    }

    func testDirectoryWithoutFontsFails() throws {
        let dir = try SynthFixtures.scratchDirectory("nofonts")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/a.otf"))
        XCTAssertThrowsError(try FontFile.load([dir])) { error in
            XCTAssertEqual((error as? FontError)?.kind, .noFonts)
            XCTAssertTrue("\(error)".contains(dir + "/a.otf"), "\(error)")
        }
    }

    func testNonFontFileFailsNamingPath() throws {
        let dir = try SynthFixtures.scratchDirectory("notfont")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/fake.ttf"
        try Data(repeating: 7, count: 300).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try FontFile(path: path)) { error in
            XCTAssertEqual((error as? FontError)?.kind, .format)
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    // MARK: The C boundary: every entry point's error path

    private func message(_ err: inout cf_error) -> String {
        defer { cf_error_free(&err) }
        return err.message.map { String(cString: $0) } ?? ""
    }

    func testOpenErrors() {
        var font = cf_font()
        var err = cf_error()
        XCTAssertEqual(cf_font_open(&font, "/no/such.ttf", 0, &err), Int32(CF_E_IO.rawValue))
        XCTAssertTrue(message(&err).contains("/no/such.ttf"))
        XCTAssertNil(font.ptr)
        XCTAssertEqual(cf_font_open(&font, "/etc/hostname", 0, &err), Int32(CF_E_FORMAT.rawValue))
        XCTAssertTrue(message(&err).contains("not a font file"))
        XCTAssertEqual(cf_font_open(&font, SynthFixtures.dejaVuSans, 3, &err), Int32(CF_E_FORMAT.rawValue))
        XCTAssertTrue(message(&err).contains("face index 3 out of range (the file has 1 face)"))
        XCTAssertEqual(cf_font_open(&font, SynthFixtures.dejaVuSans, -1, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertTrue(message(&err).contains("negative"))
        XCTAssertEqual(cf_font_open(nil, SynthFixtures.dejaVuSans, 0, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertFalse(message(&err).isEmpty)
        // A null error pointer is allowed: the status alone reports the failure.
        XCTAssertEqual(cf_font_open(&font, "/no/such.ttf", 0, nil), Int32(CF_E_IO.rawValue))
    }

    func testEntryPointsRejectBadArguments() throws {
        var err = cf_error()
        let null = cf_font(ptr: nil)
        var info = cf_font_info()
        XCTAssertEqual(cf_font_get_info(null, &info, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertTrue(message(&err).contains("null"))

        var font = cf_font()
        XCTAssertEqual(cf_font_open(&font, SynthFixtures.dejaVuSans, 0, &err), 0)
        defer { cf_font_free(font) }
        XCTAssertEqual(cf_font_get_info(font, nil, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertTrue(message(&err).contains(SynthFixtures.dejaVuSans))

        XCTAssertEqual(cf_font_set_pixel_size(font, 0, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertTrue(message(&err).contains("outside 1...2048"))

        XCTAssertEqual(cf_font_check_coverage(font, nil, 3, nil, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertTrue(message(&err).contains(SynthFixtures.dejaVuSans))

        XCTAssertEqual(cf_font_get_charmap(font, nil, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertTrue(message(&err).contains("null output"))
        var map = cf_charmap()
        XCTAssertEqual(cf_font_get_charmap(font, &map, &err), 0)
        XCTAssertGreaterThan(map.count, 5000)
        cf_charmap_free(&map)

        var run = cf_run()
        XCTAssertEqual(cf_shape(font, "abc", -1, 0, &run, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertTrue(message(&err).contains("negative length"))
        XCTAssertEqual(cf_shape(font, "abc", 3, .nan, &run, &err), Int32(CF_E_ARGUMENT.rawValue))
        _ = message(&err)
        XCTAssertEqual(cf_shape(font, "abc", 3, 0, &run, &err), 0)
        XCTAssertEqual(run.count, 3)
        XCTAssertEqual(run.notdef_count, 0)

        var mask = cf_mask()
        let bad = cf_raster_options(embolden: 0, shear: 0, padding: -1)
        XCTAssertEqual(cf_rasterize(font, run.glyphs, run.count, nil, bad, &mask, &err), Int32(CF_E_ARGUMENT.rawValue))
        XCTAssertTrue(message(&err).contains("padding -1"))
        let huge = cf_raster_options(embolden: 1e6, shear: 0, padding: 0)
        XCTAssertEqual(cf_rasterize(font, run.glyphs, run.count, nil, huge, &mask, &err), Int32(CF_E_ARGUMENT.rawValue))
        _ = message(&err)
        XCTAssertEqual(cf_rasterize(font, nil, 2, nil, cf_raster_options(), &mask, &err), Int32(CF_E_ARGUMENT.rawValue))
        _ = message(&err)
        XCTAssertNil(mask.pixels)
        cf_run_free(&run)

        // Shaping a character the font lacks yields .notdef glyphs, counted.
        XCTAssertEqual(cf_shape(font, "a中", Int32("a中".utf8.count), 0, &run, &err), 0)
        XCTAssertEqual(run.notdef_count, 1)
        cf_run_free(&run)

        // Every free function accepts null / empty values.
        cf_font_free(cf_font(ptr: nil))
        cf_run_free(nil)
        cf_mask_free(nil)
        cf_charmap_free(nil)
        cf_error_free(nil)
    }

    func testRasterizeReportsBaselineAndInk() throws {
        var err = cf_error()
        var font = cf_font()
        XCTAssertEqual(cf_font_open(&font, SynthFixtures.dejaVuSans, 0, &err), 0)
        defer { cf_font_free(font) }
        XCTAssertEqual(cf_font_set_pixel_size(font, 40, &err), 0)
        var run = cf_run()
        XCTAssertEqual(cf_shape(font, "Hxp", 3, 0, &run, &err), 0)
        defer { cf_run_free(&run) }
        var mask = cf_mask()
        XCTAssertEqual(cf_rasterize(font, run.glyphs, run.count, nil, cf_raster_options(embolden: 0, shear: 0, padding: 3),
                                    &mask, &err), 0)
        defer { cf_mask_free(&mask) }
        // H's top is ~0.73 em above the baseline, p's descender ~0.21 em below, 3 px padding around.
        XCTAssertEqual(mask.ink_top, 3, accuracy: 1)
        XCTAssertEqual(Double(mask.baseline_y - mask.ink_top), 0.73 * 40, accuracy: 2)
        XCTAssertEqual(Double(mask.ink_bottom - mask.baseline_y), 0.21 * 40, accuracy: 2)
        XCTAssertEqual(Double(mask.ascender), 0.76 * 40, accuracy: 2)
        // The box holds the padding beyond both the ink and the pen's end.
        XCTAssertGreaterThanOrEqual(mask.width - mask.ink_right, 3)
        XCTAssertGreaterThanOrEqual(Float(mask.width) - mask.origin_x - mask.advance, 3)
        // The row just below the baseline holds p's stem and nothing of H or x.
        let below = Int(mask.baseline_y) * Int(mask.width)
        let h = (0..<Int(mask.width) / 3).map { mask.pixels[below + $0] }
        XCTAssertEqual(h.max(), 0)
    }
}
