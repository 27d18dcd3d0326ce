#if canImport(Glibc)
import Glibc
private func sysOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
private func sysClose(_ fd: Int32) { _ = Glibc.close(fd) }
#elseif canImport(Darwin)
import Darwin
private func sysOpen(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
private func sysClose(_ fd: Int32) { _ = Darwin.close(fd) }
#endif

/// Crash-safe writing: checkpoints must never be torn.
extension H5File {
    /// Writes a new file at `path` through `body`, all or nothing.
    ///
    /// `body` fills a fresh file at a hidden temporary path in the same directory (so the final
    /// rename stays on one filesystem and is atomic). Only when `body` returns and the file closes
    /// cleanly is the temporary fsync'ed and renamed over `path` (and the directory fsync'ed, so the
    /// rename survives a power cut). If anything throws, the temporary is removed and an existing
    /// file at `path` is left untouched. `body` must not keep groups or datasets beyond its return:
    /// closing then fails and nothing is replaced.
    public static func writeAtomically(to path: String, _ body: (H5File) throws -> Void) throws {
        let tmp = temporarySibling(of: path)
        let file: H5File
        do {
            file = try H5File.create(tmp)
        } catch {
            throw HDF5Error("write '\(path)' atomically: \(error)")
        }
        do {
            try body(file)
            do {
                try file.close()
            } catch {
                throw HDF5Error("write '\(path)' atomically: \(error)")
            }
            try fsyncPath(tmp, directory: false)
            guard rename(tmp, path) == 0 else {
                throw HDF5Error("rename '\(tmp)' to '\(path)': \(errnoText())")
            }
            try fsyncPath(directoryOf(path), directory: true)
        } catch {
            try? file.close()
            unlink(tmp)
            throw error
        }
    }

    private static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func temporarySibling(of path: String) -> String {
        let dir = directoryOf(path)
        let base = path.split(separator: "/").last.map(String.init) ?? "file"
        return "\(dir)/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    private static func fsyncPath(_ path: String, directory: Bool) throws {
        let fd = sysOpen(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY)
        guard fd >= 0 else { throw HDF5Error("sync '\(path)': \(errnoText())") }
        defer { sysClose(fd) }
        guard fsync(fd) == 0 else { throw HDF5Error("sync '\(path)': \(errnoText())") }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
