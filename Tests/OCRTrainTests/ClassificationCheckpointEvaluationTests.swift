import Foundation
import Imaging
import OCRCore
import OCRData
import Torch
import XCTest
@testable import OCRTrain

/// `ocr-eval` on a classifier checkpoint: the AngleClassifier of configs/cls/cls_mv3.yml, its head
/// set so it says "180" for every line (the backbone's weights stay random), on rendered lines
/// plus one image that cannot be decoded - counted, listed by file:line and not scored - then the
/// report through the shared writer. A recogniser's checkpoint is refused by name, and the other
/// way round.
final class ClassificationCheckpointEvaluationTests: XCTestCase {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("configs/cls/cls_mv3.yml").path

    var dir: String!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cls-eval-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/img", withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Five rendered lines (the "180" ones turned) and a truncated PNG on line 3; returns the label file.
    func writeData() throws -> String {
        let renderer = try LineRenderer(options: .clean)
        let font = try FontFile(path: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        let labels = ["0", "180", "0", "180", "0"]
        for (i, label) in labels.enumerated() {
            let line = try renderer.render(["Invoice 42", "total due", "ok", "Zürich 8001", "abc"][i], font: font, seed: UInt64(i)).image
            try (label == "180" ? line.rotated180() : line).encoded(as: .png).write(to: URL(fileURLWithPath: "\(dir!)/img/\(i).png"))
        }
        let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/img/0.png"))
        try png.prefix(png.count / 2).write(to: URL(fileURLWithPath: dir + "/img/truncated.png"))
        let file = dir + "/eval.txt"
        try "img/0.png\t0\nimg/1.png\t180\nimg/truncated.png\t0\nimg/2.png\t0\nimg/3.png\t180\nimg/4.png\t0\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Global, Train and Eval of our own (shuffled, half the lines, drop_last, policy fail:
    /// evaluation overrides all four) around the shipped Architecture, Loss, Optimizer, PostProcess and Metric.
    func writeConfig(labels: String) throws -> String {
        let shipped = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        let start = try XCTUnwrap(shipped.range(of: "\nArchitecture:")).lowerBound
        let end = try XCTUnwrap(shipped.range(of: "\nTrain:")).lowerBound
        let path = dir + "/cls.yml"
        try """
            Global:
              threads: 1
              seed: 3
              data_issue_policy: fail
            \(shipped[start..<end])
            Train: &data
              dataset:
                name: SimpleDataSet
                data_dir: \(dir!)
                label_file_list: [\(labels)]
                ratio_list: [0.5]
                transforms:
                  - ClsResizeImg: {image_shape: [3, 48, 192]}
              loader: {shuffle: true, batch_size_per_card: 2, drop_last: true, num_workers: 2}
            Eval: *data

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A checkpoint of `run`'s classifier whose head always says "180" (p = 0.9997).
    func writeCheckpoint(_ run: ClassificationRunConfig) throws -> String {
        Torch.seed(0)
        let model = try run.makeModel()
        var c = Checkpoint()
        c.model = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.path, $0.tensor) })
        let w = try XCTUnwrap(c.model["head/fc/weight"])
        c.model["head/fc/weight"] = try Tensor([Float](repeating: 0, count: w.shape.reduce(1, *)), shape: w.shape)
        c.model["head/fc/bias"] = try Tensor([-4, 4] as [Float], shape: [2])
        c.task = ClassificationTask(forward: { $0 }, labels: run.labels).checkpointEntries
        try c.write(to: dir + "/best.h5")
        return dir + "/best.h5"
    }

    func testEveryReadableLineScoredOnceTheUnreadableListedAndTheReportWritten() throws {
        let labels = try writeData()
        let run = try ClassificationRunConfig(path: try writeConfig(labels: labels))
        let checkpoint = try writeCheckpoint(run)

        let result = try ClassificationCheckpointEvaluation.run(run, checkpoint: checkpoint, data: nil, worstImages: 10) { _ in }
        XCTAssertEqual(result.samples, 5, "five readable lines, once each (drop_last would lose one, a replacement add one)")
        XCTAssertEqual(result.confusion, [[0, 3], [0, 2]], "the head says 180 for every line")
        XCTAssertEqual(result.accuracy, 0.4, accuracy: 1e-12)
        XCTAssertEqual(result.notScored.map(\.location), ["\(labels):3"])
        XCTAssertEqual(result.notScored.map(\.category), ["undecodable-image"])
        XCTAssertEqual(result.misses.map(\.source).sorted(), ["\(labels):1 (img/0.png)", "\(labels):4 (img/2.png)", "\(labels):6 (img/4.png)"],
                       "each upright line once among the misses")
        for m in result.misses {
            XCTAssertEqual(m.predicted, "180")
            XCTAssertGreaterThan(m.confidence, 0.999)
            let image = try XCTUnwrap(m.image, "\(m.source) keeps its image")
            XCTAssertEqual(image.height, 48)
            XCTAssertTrue((1...192).contains(image.width), "\(image.width)")
        }

        // --data with the shipped config itself (its Eval section renders synthetic lines): the label file's own labels.
        let shipped = try ClassificationRunConfig(path: Self.shipped, overrides: ["Global.threads=1"])
        let other = try ClassificationCheckpointEvaluation.run(shipped, checkpoint: checkpoint, data: [labels]) { _ in }
        XCTAssertEqual(other.confusion, result.confusion)
        XCTAssertEqual(other.notScored.map(\.location), result.notScored.map(\.location))

        var report = ClassificationReport(title: "cls", result: result)
        report.worstCount = 2
        try report.write(to: dir + "/eval")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/eval/report.json"))) as? [String: Any])
        XCTAssertEqual(json["lines_scored"] as? Int, 5)
        XCTAssertEqual(json["lines_not_read"] as? Int, 1)
        XCTAssertEqual((json["not_read"] as? [[String: Any]])?.compactMap { $0["location"] as? String }, ["\(labels):3"])
        XCTAssertEqual((json["confusion"] as? [String: Any])?["matrix"] as? [[Int]], [[0, 3], [0, 2]])
        XCTAssertEqual((json["worst"] as? [[String: Any]])?.count, 2)
        let html = try String(contentsOfFile: dir + "/eval/report.html", encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "data:image/png;base64,").count - 1, 2, "worstCount images")
        let md = try String(contentsOfFile: dir + "/eval/report.md", encoding: .utf8)
        XCTAssertTrue(md.contains("5 lines scored, 1 could not be read") && md.contains("`\(labels):3`"), md)
    }

    func testCheckpointsOfOtherTasksOrLabelsAreRefusedByName() throws {
        let labels = try writeData()
        let run = try ClassificationRunConfig(path: try writeConfig(labels: labels))
        let cls = try writeCheckpoint(run)
        var c = try Checkpoint.read(from: cls)

        c.task = TaskEntries(kind: .rec, strings: ["charset": "a\nb", "use_space_char": "false"])
        try c.write(to: dir + "/rec.h5")
        XCTAssertThrowsError(try ClassificationCheckpointEvaluation.run(run, checkpoint: dir + "/rec.h5", data: nil) { _ in }) { e in
            XCTAssertTrue("\(e)".contains("\(dir!)/rec.h5 is a rec checkpoint, not a classifier's"), "\(e)")
        }
        c.task = TaskEntries(kind: .cls, strings: ["labels": "0\n90"])
        try c.write(to: dir + "/other.h5")
        XCTAssertThrowsError(try ClassificationCheckpointEvaluation.run(run, checkpoint: dir + "/other.h5", data: nil) { _ in }) { e in
            XCTAssertTrue("\(e)".contains("\(dir!)/other.h5 was trained on labels [\"0\", \"90\"]"), "\(e)")
        }

        // The recogniser's evaluation refuses the classifier's checkpoint.
        try "a\nb\n".write(toFile: dir + "/dict.txt", atomically: true, encoding: .utf8)
        let rec = try RecognitionRunConfig(tree: try ConfigTree(yaml: """
            Global: {character_dict_path: \(dir!)/dict.txt}
            Architecture:
              model_type: rec
              algorithm: CRNN
              Backbone: {name: MobileNetV3, scale: 0.35, model_name: small}
              Neck: {name: SequenceEncoder, encoder_type: rnn, hidden_size: 48}
              Head: {name: CTCHead}
            Train: {dataset: {name: SimpleDataSet, data_dir: \(dir!), label_file_list: [\(labels)]}}
            """))
        XCTAssertThrowsError(try CheckpointEvaluation.run(rec, checkpoint: cls, data: nil) { _ in }) { e in
            XCTAssertTrue("\(e)".contains("\(cls) is a cls checkpoint, not a recogniser's"), "\(e)")
        }
    }
}
