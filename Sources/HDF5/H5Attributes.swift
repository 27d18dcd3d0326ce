import CHDF5

/// The attributes of a file's root group, a group or a dataset: small named values (step, learning
/// rate, config YAML, shapes). Setting a name again replaces the old value, whatever its type.
///
/// Storage: `Int` as int64, `Double` as float64, `String` as variable-length UTF-8; arrays as 1-D.
/// Reading converts within a kind (an int32 attribute written by another tool reads as `Int`), but
/// never between integers, floats and strings.
public struct H5Attributes {
    let owner: AnyObject  // keeps the group or dataset handle open while this value lives
    let object: h5_object
    let location: String  // "'/backbone' in 'ckpt.h5'", for messages made on the Swift side

    init(owner: AnyObject, object: h5_object, location: String) {
        self.owner = owner
        self.object = object
        self.location = location
    }

    // MARK: Writing

    public func set(_ name: String, _ value: Int) throws { try setNumbers(name, [Int64(value)], rank: 0) }
    public func set(_ name: String, _ value: Double) throws { try setNumbers(name, [value], rank: 0) }
    public func set(_ name: String, _ value: [Int]) throws { try setNumbers(name, value.map(Int64.init), rank: 1) }
    public func set(_ name: String, _ value: [Double]) throws { try setNumbers(name, value, rank: 1) }
    public func set(_ name: String, _ value: String) throws { try setStrings(name, [value], rank: 0) }
    public func set(_ name: String, _ value: [String]) throws { try setStrings(name, value, rank: 1) }

    private func setNumbers<T: H5Element>(_ name: String, _ values: [T], rank: Int32) throws {
        try values.withUnsafeBytes { buf in
            try HDF5Error.check {
                h5_attr_write(object, name, T.h5DType.c, rank, Int64(values.count), buf.baseAddress, $0)
            }
        }
    }

    private func setStrings(_ name: String, _ values: [String], rank: Int32) throws {
        try CStringList.withPointers(values, what: "write attribute '\(name)' of \(location)") { ptr, n in
            try HDF5Error.check { h5_attr_write(object, name, H5DTYPE_STRING, rank, n, ptr, $0) }
        }
    }

    // MARK: Reading

    /// A single integer (a scalar, or a 1-D attribute holding exactly one value).
    public func int(_ name: String) throws -> Int { try single(name, ints(name)) }
    public func double(_ name: String) throws -> Double { try single(name, doubles(name)) }
    public func string(_ name: String) throws -> String { try single(name, strings(name)) }

    public func ints(_ name: String) throws -> [Int] {
        try readNumbers(name, as: Int64.self).map { Int($0) }
    }

    public func doubles(_ name: String) throws -> [Double] {
        try readNumbers(name, as: Double.self)
    }

    public func strings(_ name: String) throws -> [String] {
        try CStringList.call { h5_attr_read_strings(object, name, $0, $1) }
    }

    /// The value with its stored kind: scalars as `.int/.double/.string`, 1-D as arrays.
    public func value(_ name: String) throws -> H5AttributeValue {
        let (dtype, rank, _) = try info(name)
        switch (dtype, rank == 0) {
        case (.int32, true), (.int64, true), (.uint8, true): return .int(try int(name))
        case (.int32, false), (.int64, false), (.uint8, false): return .ints(try ints(name))
        case (.float32, true), (.float64, true): return .double(try double(name))
        case (.float32, false), (.float64, false): return .doubles(try doubles(name))
        case (.string, true): return .string(try string(name))
        case (.string, false): return .strings(try strings(name))
        case (.unsupported, _):
            // Integers of other widths (int16, uint32, ...) still read through the lenient path.
            if let values = try? ints(name) { return rank == 0 && values.count == 1 ? .int(values[0]) : .ints(values) }
            if let values = try? doubles(name) { return rank == 0 && values.count == 1 ? .double(values[0]) : .doubles(values) }
            throw HDF5Error("read attribute '\(name)' of \(location): stored type is not supported")
        }
    }

    /// Stored dtype, rank (0 or 1; higher ranks are read flat) and element count.
    public func info(_ name: String) throws -> (dtype: H5DType, rank: Int, count: Int) {
        var dtype = H5DTYPE_UNSUPPORTED
        var rank: Int32 = 0
        var count: Int64 = 0
        try HDF5Error.check { h5_attr_info(object, name, &dtype, &rank, &count, $0) }
        return (H5DType(dtype), Int(rank), Int(count))
    }

    public func contains(_ name: String) throws -> Bool {
        var found: Int32 = 0
        try HDF5Error.check { h5_attr_exists(object, name, &found, $0) }
        return found != 0
    }

    public func remove(_ name: String) throws {
        try HDF5Error.check { h5_attr_delete(object, name, $0) }
    }

    /// Attribute names, sorted by name.
    public func names() throws -> [String] {
        try CStringList.call { h5_attr_names(object, $0, $1) }
    }

    private func readNumbers<T: H5Element>(_ name: String, as: T.Type) throws -> [T] {
        let count = try info(name).count
        return try [T](unsafeUninitializedCapacity: count) { buf, initialized in
            initialized = 0
            try HDF5Error.check { h5_attr_read(object, name, T.h5DType.c, buf.baseAddress, Int64(count), $0) }
            initialized = count
        }
    }

    private func single<T>(_ name: String, _ values: [T]) throws -> T {
        guard values.count == 1 else {
            throw HDF5Error("read attribute '\(name)' of \(location): holds \(values.count) values, not one")
        }
        return values[0]
    }
}
