import Foundation
import XCTest
@testable import Torch

/// One case of Fixtures/reference.json (made by Fixtures/make_reference.py).
struct Reference {
    let values: [String: Any]

    nonisolated(unsafe) static let all: [String: Any] = {
        let url = Bundle.module.url(forResource: "reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    init(_ name: String) { values = Reference.all[name] as! [String: Any] }

    func tensor(_ key: String) throws -> Tensor { try Reference.tensor(values[key]!) }
    func ints(_ key: String) -> [Int] { (values[key] as! [NSNumber]).map(\.intValue) }
    func array(_ key: String) -> [Double] { ((values[key] as! [String: Any])["data"] as! [NSNumber]).map(\.doubleValue) }

    static func tensor(_ entry: Any) throws -> Tensor {
        let d = entry as! [String: Any]
        let shape = (d["shape"] as! [NSNumber]).map(\.intValue)
        let data = (d["data"] as! [NSNumber]).map { Float($0.doubleValue) }
        return try Tensor(data, shape: shape)
    }
}

/// Asserts every value of `t` is within `tol` of `expected`, and prints the largest difference.
func assertClose(_ t: Tensor, _ expected: [Double], tol: Double = 1e-4, _ what: String = "",
                 file: StaticString = #filePath, line: UInt = #line) throws {
    let got = try t.toArray(Double.self)
    XCTAssertEqual(got.count, expected.count, "\(what): count", file: file, line: line)
    let diff = zip(got, expected).map { Swift.abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(diff, tol, "\(what): max |diff| = \(diff) (limit \(tol))", file: file, line: line)
}

/// Asserts `body` throws a TorchError whose message contains every fragment.
func assertThrowsMessage(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                         _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
    } catch let e as TorchError {
        for f in fragments {
            XCTAssertTrue(e.message.contains(f), "'\(f)' not in: \(e.message)", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error type \(error)", file: file, line: line)
    }
}
