import ArgumentParser

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train a small recogniser on generated data and report its accuracy.")
    func run() throws {
        print("demo: coming with the recognition-training issue")
    }
}
