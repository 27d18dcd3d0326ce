import Foundation

/// Resident memory and wall-clock helpers for benchmarks (Linux /proc).
enum ProcessStats {
    /// Current resident set size in MiB (VmRSS).
    static func residentMiB() -> Double { field("VmRSS") }
    /// Peak resident set size in MiB (VmHWM).
    static func peakResidentMiB() -> Double { field("VmHWM") }

    /// Another process's resident set size in MiB (0 when it cannot be read).
    static func residentMiB(pid: Int32) -> Double { field("VmRSS", process: String(pid)) }

    private static func field(_ name: String, process: String = "self") -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Runs this executable again with `arguments` (a benchmark case in a fresh process, so its
    /// peak memory is its own) and decodes the JSON on the last line of its output.
    static func runChild<Figures: Decodable>(_ arguments: [String], name: String) throws -> Figures {
        let (status, out) = try run(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path, arguments)
        guard status == 0, let line = out.split(separator: "\n").last,
              let figures = try? JSONDecoder().decode(Figures.self, from: Data(line.utf8)) else {
            throw BenchError("bench case \(name) failed (exit \(status)):\n\(out)")
        }
        return figures
    }

    /// Runs `executable` with `arguments` to its end: exit status and standard output (and
    /// standard error too with `mergingErrors`).
    static func run(_ executable: String, _ arguments: [String], mergingErrors: Bool = false) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        if mergingErrors { p.standardError = pipe }
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A benchmark case that could not run.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
