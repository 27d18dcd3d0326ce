import Foundation

/// Lines per second that `renderer` renders on the calling thread: `lines` renderings of `texts`
/// cycled over `fonts`, each from its own (seed, index) as a dataset does. For `ocr-bench` and for
/// sizing loader threads (a CRNN step on CPU consumes a batch of 64-256 lines).
public func benchmarkLineRendering(fonts: [FontFile], texts: [String], renderer: LineRenderer, lines: Int = 200,
                                   seed: UInt64 = 0) throws -> Double {
    precondition(!fonts.isEmpty && !texts.isEmpty && lines > 0, "benchmark needs fonts, texts and a line count")
    // One untimed line per font opens faces and warms caches.
    for font in fonts { _ = try renderer.render(texts[0], font: font, seed: seed, index: -1) }
    let start = Date()
    for i in 0..<lines {
        _ = try renderer.render(texts[i % texts.count], font: fonts[i % fonts.count], seed: seed, index: i)
    }
    return Double(lines) / Date().timeIntervalSince(start)
}
