import ArgumentParser

/// `-c CONFIG.yml -o Key.sub=value ...`, shared by ocr-train, ocr-eval and ocr-export.
public struct ConfigOptions: ParsableArguments {
    @Option(name: [.customShort("c"), .long], help: "The YAML config (PaddleOCR sections: Global, Architecture, Optimizer, Train, Eval, ...).")
    public var config: String

    @Option(name: [.customShort("o"), .long], parsing: .upToNextOption,
            help: "Overrides, e.g. -o Global.max_steps=500 Optimizer.lr.learning_rate=0.0005")
    public var override: [String] = []

    public init() {}
}
