/// A minimal protocol-buffers encoder: just what ONNX's messages need (varint and
/// length-delimited fields, fixed32 floats, repeated scalars unpacked or packed). Fields are
/// written in the order they are appended; a nested message is encoded on its own first, because
/// its length prefix must precede it.
///
/// onnx.proto is proto2: a plain `repeated int64` field (TensorProto.dims, AttributeProto.ints)
/// is unpacked - one key per element - unless declared `[packed = true]`; the ONNX builders
/// follow the declarations, so their bytes equal what Google's protobuf writes.
///
/// Wire format: each field is a key `(field number << 3) | wire type` as a varint, then the
/// value. Wire types used: 0 varint, 2 length-delimited, 5 fixed 32-bit.
public struct ProtobufWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    enum WireType: UInt64 { case varint = 0, lengthDelimited = 2, fixed32 = 5 }

    // MARK: fields

    /// An int32/int64/enum/bool field. Negative values take ten bytes (two's complement, as
    /// protobuf encodes int64; zigzag is only for sint types, which ONNX does not use).
    public mutating func int(_ field: Int, _ value: Int64) {
        key(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    public mutating func int(_ field: Int, _ value: Int) { int(field, Int64(value)) }

    /// A float field: fixed32, little-endian IEEE 754.
    public mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        appendFixed32(value.bitPattern)
    }

    public mutating func lengthDelimited(_ field: Int, _ value: [UInt8]) {
        key(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A string field: its UTF-8 bytes, length-delimited.
    public mutating func string(_ field: Int, _ value: String) { lengthDelimited(field, Array(value.utf8)) }

    /// A nested message, length-delimited.
    public mutating func message(_ field: Int, _ value: ProtobufWriter) { lengthDelimited(field, value.bytes) }

    /// An unpacked repeated int64 field: one key per element.
    public mutating func repeatedInts(_ field: Int, _ values: [Int64]) {
        for v in values { int(field, v) }
    }

    /// An unpacked repeated float field: one key per element.
    public mutating func repeatedFloats(_ field: Int, _ values: [Float]) {
        for v in values { float(field, v) }
    }

    /// A packed repeated int64 field: one key, the length, then every value as a varint.
    /// Omitted when empty (an absent repeated field is an empty one).
    public mutating func packedInts(_ field: Int, _ values: [Int64]) {
        guard !values.isEmpty else { return }
        var body = ProtobufWriter()
        for v in values { body.appendVarint(UInt64(bitPattern: v)) }
        lengthDelimited(field, body.bytes)
    }

    /// A packed repeated float field: one key, the length, then 4 bytes per value.
    public mutating func packedFloats(_ field: Int, _ values: [Float]) {
        guard !values.isEmpty else { return }
        var body = ProtobufWriter()
        for v in values { body.appendFixed32(v.bitPattern) }
        lengthDelimited(field, body.bytes)
    }

    // MARK: encoding primitives

    mutating func key(_ field: Int, _ type: WireType) {
        precondition(field > 0 && field < 1 << 29, "protobuf field numbers are 1 ..< 2^29, got \(field)")
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    /// Base-128 varint: seven bits per byte, least significant group first, high bit set on
    /// every byte but the last.
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func appendFixed32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
