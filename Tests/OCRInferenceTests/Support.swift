import Foundation
import XCTest

/// The committed ONNX fixtures (made by Fixtures/make_fixtures.py) and scratch files.
enum Fixtures {
    static func path(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            fatalError("fixture \(name) is missing from Tests/OCRInferenceTests/Fixtures (run make_fixtures.py)")
        }
        return url.path
    }

    /// The package root (for .deps/models).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A fresh empty directory under the system temporary directory.
    static func scratchDirectory(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "ocrkit-infer-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Asserts that `body` throws an error of type `E` and returns it.
func assertThrows<E: Error, T>(_ expected: E.Type, file: StaticString = #filePath, line: UInt = #line,
                               _ body: () throws -> T) -> E? {
    do {
        _ = try body()
        XCTFail("expected \(E.self), nothing was thrown", file: file, line: line)
    } catch let e as E {
        return e
    } catch {
        XCTFail("expected \(E.self), got \(type(of: error)): \(error)", file: file, line: line)
    }
    return nil
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Values written from several threads (tests of concurrent use).
final class LockedArray<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T]
    init(repeating value: T, count: Int) { storage = Array(repeating: value, count: count) }
    subscript(i: Int) -> T {
        get { lock.withLock { storage[i] } }
        set { lock.withLock { storage[i] = newValue } }
    }
    var values: [T] { lock.withLock { storage } }
}

import Imaging

/// Line images the fixture recognisers read exactly (Fixtures/make_fixtures.py): 4 rows, one
/// column per time step; the blue byte of the top row is 128 + 25 k for class k, 0 for the blank.
enum ColumnCode {
    static func byte(forClass k: Int) -> UInt8 { k == 0 ? 0 : UInt8(128 + 25 * k) }

    /// A BGR image whose columns spell `classes`.
    static func image(_ classes: [Int], order: ColorOrder = .bgr) throws -> Image {
        let w = classes.count
        var pixels = [UInt8](repeating: 0, count: 4 * w * 3)
        let blue = order == .rgb ? 2 : 0
        for (x, k) in classes.enumerated() { pixels[x * 3 + blue] = byte(forClass: k) }
        return try Image(width: w, height: 4, colorOrder: order, pixels: pixels)
    }

    /// The max softmax probability the fixture gives a column of class k (k >= 1), computed in
    /// Double from the graph's formula: scores -(v - c)^2, v = (byte - 127.5) / 25.
    static func probability(ofClass k: Int, classes: Int = 5) -> Double {
        let x = Double(Float((Float(byte(forClass: k)) / 255 - 0.5) / 0.5))  // the loader's float32 value
        let v = x * 127.5 / 25
        let scores = (0..<classes).map { -(v - Double($0)) * (v - Double($0)) }
        let top = scores.max()!
        return 1 / scores.map { exp($0 - top) }.reduce(0, +)
    }
}
