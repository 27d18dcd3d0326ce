/// A minimal protocol-buffers decoder: the reading side of OCRExport's `ProtobufWriter`, for
/// the few ONNX messages the importer needs. It walks one message's fields in order; a nested
/// message is read by a new reader over its bytes. Every error names the file, the message being
/// read and the absolute byte offset, so a truncated or foreign file says where it broke.
///
/// Wire types: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit (3 and 4, groups,
/// are not used by ONNX and are refused).
struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        /// The range of the field's bytes in the file.
        case bytes(Range<Int>)
    }

    let data: [UInt8]
    let file: String
    /// What is being decoded, for errors ("ModelProto.graph.node[3]").
    let context: String
    private(set) var offset: Int
    let end: Int
    /// The message's field names by number (from onnx.proto), so errors say "field 7 (graph)".
    var fieldNames: [Int: String] = [:]

    init(data: [UInt8], file: String, context: String, range: Range<Int>? = nil) {
        self.data = data
        self.file = file
        self.context = context
        offset = range?.lowerBound ?? 0
        end = range?.upperBound ?? data.count
    }

    /// A reader over a length-delimited field's bytes.
    func nested(_ range: Range<Int>, context: String) -> ProtobufReader {
        ProtobufReader(data: data, file: file, context: context, range: range)
    }

    func error(_ what: String, at position: Int? = nil) -> ImportError {
        ImportError("\(file): not a readable ONNX model: \(what) in \(context) at byte \(position ?? offset) "
                    + "(file size \(data.count)); the file may be truncated or not an ONNX file")
    }

    func fieldName(_ field: Int) -> String { fieldNames[field].map { "field \(field) (\($0))" } ?? "field \(field)" }

    /// The next field (number and value), or nil at the end of the message.
    mutating func next() throws -> (field: Int, value: Value)? {
        guard offset < end else { return nil }
        let start = offset
        let key = try varint()
        let field = Int(key >> 3)
        guard field > 0 else { throw error("field number 0", at: start) }
        switch key & 7 {
        case 0: return (field, .varint(try varint()))
        case 1:
            guard end - offset >= 8 else { throw error("fixed64 \(fieldName(field)) runs past the end", at: start) }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(data[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return (field, .fixed64(v))
        case 2:
            let length = try varint()
            guard length <= UInt64(end - offset) else {
                throw error("\(fieldName(field)) claims \(length) bytes but only \(end - offset) remain", at: start)
            }
            let range = offset..<(offset + Int(length))
            offset += Int(length)
            return (field, .bytes(range))
        case 5:
            guard end - offset >= 4 else { throw error("fixed32 \(fieldName(field)) runs past the end", at: start) }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(data[offset + i]) << (8 * UInt32(i)) }
            offset += 4
            return (field, .fixed32(v))
        default:
            throw error("\(fieldName(field)) has wire type \(key & 7), which ONNX never uses", at: start)
        }
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard offset < end else { throw error("a varint runs past the end", at: start) }
            let byte = data[offset]
            offset += 1
            guard shift < 64 else { throw error("a varint longer than 10 bytes", at: start) }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    // MARK: field values

    func string(_ v: Value, _ name: String) throws -> String {
        guard case .bytes(let r) = v else { throw error("\(name) is not length-delimited") }
        return String(decoding: data[r], as: UTF8.self)
    }

    func range(_ v: Value, _ name: String) throws -> Range<Int> {
        guard case .bytes(let r) = v else { throw error("\(name) is not length-delimited") }
        return r
    }

    func int(_ v: Value, _ name: String) throws -> Int64 {
        guard case .varint(let x) = v else { throw error("\(name) is not a varint") }
        return Int64(bitPattern: x)
    }

    func float(_ v: Value, _ name: String) throws -> Float {
        guard case .fixed32(let x) = v else { throw error("\(name) is not a fixed32 float") }
        return Float(bitPattern: x)
    }

    /// A repeated int64 field, packed (one length-delimited run) or not (one varint per key).
    func appendInts(_ v: Value, _ name: String, to out: inout [Int64]) throws {
        switch v {
        case .varint(let x): out.append(Int64(bitPattern: x))
        case .bytes(let r):
            var packed = nested(r, context: context + "." + name)
            while packed.offset < packed.end { out.append(Int64(bitPattern: try packed.varint())) }
        default: throw error("\(name) is neither a varint nor packed varints")
        }
    }

    /// A repeated float field, packed or not.
    func appendFloats(_ v: Value, _ name: String, to out: inout [Float]) throws {
        switch v {
        case .fixed32(let x): out.append(Float(bitPattern: x))
        case .bytes(let r):
            guard r.count % 4 == 0 else { throw error("packed \(name) has \(r.count) bytes, not a multiple of 4") }
            out.append(contentsOf: Self.littleEndianFloats(data[r]))
        default: throw error("\(name) is neither fixed32 nor packed floats")
        }
    }

    /// ONNX stores floats little-endian, as every host OCRKit runs on (x86-64, arm64) does: a copy.
    static func littleEndianFloats(_ bytes: ArraySlice<UInt8>) -> [Float] {
        var out = [Float](repeating: 0, count: bytes.count / 4)
        out.withUnsafeMutableBytes { dst in bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<dst.count])) } }
        return out
    }

    static func littleEndianInt64s(_ bytes: ArraySlice<UInt8>) -> [Int64] {
        var out = [Int64](repeating: 0, count: bytes.count / 8)
        out.withUnsafeMutableBytes { dst in bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<dst.count])) } }
        return out
    }
}
