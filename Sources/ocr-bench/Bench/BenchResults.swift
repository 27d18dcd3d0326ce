import Foundation

/// A benchmark's figures as a flat JSON object under `bench-results/`: each run prints the change
/// against the file's previous figures, then replaces them.
enum BenchResults {
    static func compareAndSave(_ figures: [String: Double], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        if let data = try? Data(contentsOf: url),
           let last = try? JSONDecoder().decode([String: Double].self, from: data) {
            print("\nchange since the last run (\(path)):")
            for key in figures.keys.sorted() {
                guard let old = last[key], let new = figures[key] else { continue }
                let change = old == 0 ? 0 : (new - old) / old * 100
                print("  " + key.padding(toLength: max(28, key.count), withPad: " ", startingAt: 0)
                      + String(format: " %10.3f -> %10.3f  (%+.1f%%)", old, new, change))
            }
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(figures).write(to: url)
    }
}
