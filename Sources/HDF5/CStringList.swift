import CHDF5

/// Moves lists of strings across the C boundary.
enum CStringList {
    /// Calls `body` with a `const char *const *` view of `strings` (as the shim's `const void *`).
    /// All strings are packed into one NUL-separated buffer, so there is one allocation, not n.
    /// HDF5 strings are C strings, so an embedded NUL is refused rather than silently truncated.
    static func withPointers<R>(_ strings: [String], what: @autoclosure () -> String,
                                _ body: (UnsafeRawPointer?, Int64) throws -> R) throws -> R {
        var bytes: [CChar] = []
        var starts: [Int] = []
        starts.reserveCapacity(strings.count)
        for (i, s) in strings.enumerated() {
            if s.utf8.contains(0) {
                throw HDF5Error("\(what()): string \(i) contains a NUL byte, which HDF5 strings cannot hold")
            }
            starts.append(bytes.count)
            bytes.append(contentsOf: s.utf8.map { CChar(bitPattern: $0) })
            bytes.append(0)
        }
        return try bytes.withUnsafeBufferPointer { buf in
            let pointers: [UnsafePointer<CChar>?] = starts.map { start in buf.baseAddress.map { $0 + start } }
            return try pointers.withUnsafeBufferPointer { try body(UnsafeRawPointer($0.baseAddress), Int64(strings.count)) }
        }
    }

    /// Takes ownership of a shim list: copies it into Swift strings and frees it.
    static func take(_ list: inout h5_strings) -> [String] {
        defer { h5_strings_free(&list) }
        guard let items = list.items else { return [] }
        // String(cString:) repairs invalid UTF-8 instead of failing on files written elsewhere.
        return (0..<Int(list.count)).map { String(cString: items[$0]!) }
    }

    /// Runs a shim call that fills an `h5_strings` and returns its contents.
    static func call(_ body: (UnsafeMutablePointer<h5_strings>, UnsafeMutablePointer<h5_error>) -> Int32) throws -> [String] {
        var list = h5_strings(items: nil, count: 0)
        try HDF5Error.check { err in withUnsafeMutablePointer(to: &list) { body($0, err) } }
        return take(&list)
    }
}
