import Foundation

/// Runs a script with the Python of a test venv (.deps/pyvenv, made by scripts/test-venv.sh):
/// one way for every test target that checks OCRKit against a Python reference (RapidOCR's page
/// pipeline, the browser test of `ocr serve`'s page). A missing venv or a failing script is an
/// error naming what to run, so the calling test fails instead of skipping.
public enum VenvPython {
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    public static let python = Venv.tests.python

    /// A venv scripts/test-venv.sh makes: the tests' own, or one kept apart because its packages
    /// clash with the tests' (RapidOCR 3.x's opencv-python-headless; see the script).
    public struct Venv: Sendable {
        /// The folder, from the package root.
        public var directory: String
        /// The command that makes it, for the error when it is missing.
        public var setup: String

        public static let tests = Venv(directory: ".deps/pyvenv", setup: "scripts/test-venv.sh")
        public static let rapidOCR3 = Venv(directory: ".deps/pyvenv-rapidocr3", setup: "scripts/test-venv.sh --rapidocr3")

        public var python: String { packageRoot + "/" + directory + "/bin/python" }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Runs `script` (a path from the package root, or absolute) with `arguments` in `venv` and returns its
    /// standard output. Throws when the venv is missing or the script exits non-zero; the error
    /// carries the end of its standard error and `hint` (what the user should check).
    public static func run(_ script: String, _ arguments: [String], venv: Venv = .tests, environment: [String: String] = [:],
                           hint: String = "") throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: venv.python) else {
            throw Failure(description: "no test venv at \(venv.python): run \(venv.setup)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: venv.python)
        process.arguments = [script.hasPrefix("/") ? script : packageRoot + "/" + script] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // stderr goes to a file: two pipes read one after the other could block the child.
        let errorPath = NSTemporaryDirectory() + "ocrkit-venv-stderr-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = FileManager.default.contents(atPath: errorPath) ?? Data()
        guard process.terminationStatus == 0 else {
            let name = (script as NSString).lastPathComponent
            throw Failure(description: "\(name) failed (exit \(process.terminationStatus))\(hint.isEmpty ? "" : "; " + hint): "
                          + String(decoding: errors.suffix(3000), as: UTF8.self))
        }
        return data
    }
}
