import Foundation
import Imaging
@testable import OCRData

/// Fonts from Debian packages (fonts-dejavu-core, fonts-liberation2, fonts-urw-base35, ...) that
/// scripts/setup.sh installs, and scratch directories for synthetic-data tests.
enum SynthFixtures {
    static let dejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    static let liberationSans = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
    static let dkgHandwriting = "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf"
    static let dancingScript = "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf"
    static let humorSans = "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf"
    static let nimbusSansType1 = "/usr/share/fonts/type1/urw-base35/NimbusSans-Regular.t1"
    static let nimbusSansOTF = "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf"
    static let standardSymbolsOTF = "/usr/share/fonts/opentype/urw-base35/StandardSymbolsPS.otf"

    /// A fresh empty directory under the system temporary directory.
    static func scratchDirectory(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "ocrkit-synth-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Gray level (BT.601) of pixel (x, y) of a BGR image.
    static func gray(_ image: Image, _ x: Int, _ y: Int) -> Double {
        0.114 * Double(image[x, y, 0]) + 0.587 * Double(image[x, y, 1]) + 0.299 * Double(image[x, y, 2])
    }
}
