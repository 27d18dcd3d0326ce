import OCRExport
import XCTest

/// Byte-level checks against the examples of the protocol-buffers encoding guide, whose bytes
/// are part of the format's specification.
final class ProtobufWriterTests: XCTestCase {
    func bytes(_ build: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var w = ProtobufWriter()
        build(&w)
        return w.bytes
    }

    /// message Test1 { int32 a = 1; } with a = 150: 08 96 01.
    func testVarintField() {
        XCTAssertEqual(bytes { $0.int(1, 150) }, [0x08, 0x96, 0x01])
        XCTAssertEqual(bytes { $0.int(1, 0) }, [0x08, 0x00])
        XCTAssertEqual(bytes { $0.int(1, 127) }, [0x08, 0x7F])
        XCTAssertEqual(bytes { $0.int(1, 128) }, [0x08, 0x80, 0x01])
        XCTAssertEqual(bytes { $0.int(1, 300) }, [0x08, 0xAC, 0x02])
    }

    /// int64 -1 is ten bytes of two's complement (no zigzag for int types).
    func testNegativeVarint() {
        XCTAssertEqual(bytes { $0.int(2, -1) }, [0x10] + Array(repeating: 0xFF, count: 9) + [0x01])
        XCTAssertEqual(bytes { $0.int(1, Int64.max) }, [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
    }

    /// Field numbers above 15 take a two-byte key: field 20, varint -> (20 << 3) | 0 = 160 = A0 01.
    func testLargeFieldNumber() {
        XCTAssertEqual(bytes { $0.int(20, 7) }, [0xA0, 0x01, 0x07])
    }

    /// message Test2 { string b = 2; } with b = "testing": 12 07 74 65 73 74 69 6e 67.
    func testStringField() {
        XCTAssertEqual(bytes { $0.string(2, "testing") }, [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67])
        XCTAssertEqual(bytes { $0.string(2, "") }, [0x12, 0x00])
        XCTAssertEqual(bytes { $0.string(1, "é") }, [0x0A, 0x02, 0xC3, 0xA9])                   // UTF-8
    }

    /// message Test3 { Test1 c = 3; } with c.a = 150: 1a 03 08 96 01.
    func testNestedMessage() {
        var inner = ProtobufWriter()
        inner.int(1, 150)
        XCTAssertEqual(bytes { $0.message(3, inner) }, [0x1A, 0x03, 0x08, 0x96, 0x01])
    }

    /// Length prefixes over 127 bytes are multi-byte varints.
    func testLongLengthPrefix() {
        let payload = [UInt8](repeating: 0xAB, count: 300)
        let b = bytes { $0.lengthDelimited(9, payload) }
        XCTAssertEqual(Array(b.prefix(3)), [0x4A, 0xAC, 0x02])
        XCTAssertEqual(b.count, 3 + 300)
    }

    /// message Test4 { repeated int32 d = 4 [packed = true]; } with d = [3, 270, 86942]:
    /// 22 06 03 8e 02 9e a7 05.
    func testPackedInts() {
        XCTAssertEqual(bytes { $0.packedInts(4, [3, 270, 86942]) }, [0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05])
        XCTAssertEqual(bytes { $0.packedInts(4, []) }, [])
    }

    /// Unpacked: one key per element.
    func testRepeatedInts() {
        XCTAssertEqual(bytes { $0.repeatedInts(4, [3, 270]) }, [0x20, 0x03, 0x20, 0x8E, 0x02])
    }

    /// float 1.0 is 0x3F800000, written little-endian after key (2 << 3) | 5 = 0x15.
    func testFloatFields() {
        XCTAssertEqual(bytes { $0.float(2, 1.0) }, [0x15, 0x00, 0x00, 0x80, 0x3F])
        XCTAssertEqual(bytes { $0.float(2, -2.5) }, [0x15, 0x00, 0x00, 0x20, 0xC0])
        XCTAssertEqual(bytes { $0.packedFloats(7, [1.0, -2.5]) }, [0x3A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0])
        XCTAssertEqual(bytes { $0.repeatedFloats(7, [1.0]) }, [0x3D, 0x00, 0x00, 0x80, 0x3F])
    }

    /// Fields appear in the order they were written.
    func testFieldOrder() {
        XCTAssertEqual(bytes { $0.int(2, 1); $0.int(1, 2) }, [0x10, 0x01, 0x08, 0x02])
    }
}
