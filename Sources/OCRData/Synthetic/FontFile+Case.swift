// Caps-only fonts (Humor Sans, many display and comic faces) map a..z to small capitals. Their
// character maps look complete, but a line "the fox" would be drawn as "THE FOX" under a
// lowercase label - wrong supervision. Small capitals give themselves away by their proportions:
// the lowercase letters with ascenders (b d h k l) are hardly taller than x. Measured on the
// fonts here: 1.33 to 1.6 for every ordinary Latin face, 1.12 for Humor Sans. (Comparing letter
// shapes does not work: redrawn small capitals differ from their capitals as much as a and A do in
// ordinary fonts; descender depth does not either: Humor Sans's small G J P Q Y reach below.)
extension FontFile {
    struct CaseProportions {
        /// Median height of b d h k l over the height of x (about 1.4 in ordinary Latin fonts).
        var ascenderRatio: Double

        /// Whether lowercase letters are drawn as small capitals.
        var isCapsOnly: Bool { ascenderRatio < 1.2 }
    }

    /// The proportions of the font's lowercase letters; nil when it lacks the letters to measure.
    /// `drawn` says whether the font really draws a character (symbol fonts map x to chi).
    static func caseProportions(_ face: FontFace, drawn: (Character) -> Bool) throws -> CaseProportions? {
        try face.setPixelSize(48)
        // How far one character's ink reaches above the baseline, pixels.
        func height(_ c: Character) throws -> Double? {
            guard drawn(c) else { return nil }
            let run = try face.shape(String(c), letterSpacing: 0)
            guard run.notdefCount == 0, !run.glyphs.isEmpty else { return nil }
            let mask = try face.rasterize(run, transforms: [], embolden: 0, shear: 0, padding: 0)
            guard let ink = mask.ink else { return nil }
            return Double(mask.baselineY - ink.top)
        }
        func median(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.sorted()[v.count / 2] }
        guard let x = try height("x"), x > 0 else { return nil }
        let tall = try "bdhkl".compactMap { try height($0) }
        guard tall.count >= 3, let t = median(tall) else { return nil }
        return CaseProportions(ascenderRatio: t / x)
    }
}
