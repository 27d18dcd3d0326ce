import Foundation
import OCRCore

/// What every task's config shares: the YAML tree (after `-o Key.sub=value` overrides), the
/// config's folder for relative paths, `Global`, `Optimizer`, and the task that
/// `Architecture.model_type` chooses (rec, cls; det next), as in PaddleOCR. Task configs
/// (`RecognitionRunConfig`, `ClassificationRunConfig`) decode their own sections strictly on top.
public struct RunConfig {
    public var tree: ConfigTree
    /// Relative paths in the config (dictionary, fonts, corpus, label files) are tried as given, then
    /// relative to the config file's folder.
    public var configDirectory: String
    public var global: GlobalConfig
    public var optimizer: OptimizerConfig
    public var task: TaskKind

    /// Loads `path` and applies `overrides`.
    public static func tree(path: String, overrides: [String]) throws -> ConfigTree {
        var tree = try ConfigTree(contentsOf: path)
        // Decoding is strict, so an override may add a key the file leaves at its default.
        try tree.applyOverrides(overrides, allowNewKeys: true)
        return tree
    }

    public init(path: String, overrides: [String] = []) throws {
        try self.init(tree: Self.tree(path: path, overrides: overrides), directory: (path as NSString).deletingLastPathComponent)
    }

    public init(tree: ConfigTree, directory: String = ".") throws {
        self.tree = tree
        configDirectory = directory
        try tree.checkSections(required: ["Global", "Architecture", "Train"])
        guard let type = try tree.string("Architecture.model_type") else {
            throw ConfigError(.missingKey, path: "Architecture.model_type",
                              "Architecture.model_type is required: " + TaskKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let task = TaskKind(rawValue: type) else {
            throw ConfigError(.invalidValue, location: tree.location(of: "Architecture.model_type"), path: "Architecture.model_type",
                              "Architecture.model_type '\(type)' is not one of " + TaskKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.task = task
        global = try tree.decode(GlobalConfig.self, at: "Global")
        optimizer = tree.contains("Optimizer") ? try tree.decode(OptimizerConfig.self, at: "Optimizer") : OptimizerConfig()
    }

    /// A path from the config: as given when it exists, else relative to the config's folder.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || FileManager.default.fileExists(atPath: path) { return path }
        let candidate = (configDirectory as NSString).appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: candidate) ? candidate : path
    }
}
