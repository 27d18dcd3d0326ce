import Foundation
import Imaging
import OCRData
import Torch
import XCTest
@testable import OCRTrain

/// `ocr-eval` on a checkpoint: the Eval data is read under policy exclude whatever the config
/// says, so every readable line is scored once and every other line is listed by file:line.
final class CheckpointEvaluationTests: XCTestCase {
    func testUnreadableLinesAreListedAndEveryGoodLineScoredOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-eval-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/img", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // Four good lines (plain images: the weights are random, the test is about what is scored),
        // a truncated PNG, a zero-byte JPEG, a text file named .png and a line with no tab.
        let png = try Image(width: 90, height: 32, colorOrder: .bgr, repeating: 200).encoded(as: .png)
        for i in 0..<4 { try png.write(to: URL(fileURLWithPath: "\(dir)/img/\(i).png")) }
        try png.prefix(png.count / 2).write(to: URL(fileURLWithPath: dir + "/img/truncated.png"))
        try Data().write(to: URL(fileURLWithPath: dir + "/img/empty.jpg"))
        try Data("not an image\n".utf8).write(to: URL(fileURLWithPath: dir + "/img/notes.png"))
        let labels = dir + "/eval.txt"
        try """
            img/0.png\tab
            img/truncated.png\tabc
            img/1.png\tba
            img/empty.jpg\tcab
            img/notes.png\tcc
            img/2.png\tca
            no tab on this line
            img/3.png\tbc

            """.write(toFile: labels, atomically: true, encoding: .utf8)
        try "a\nb\nc\n".write(toFile: dir + "/dict.txt", atomically: true, encoding: .utf8)
        // Shuffled, half the lines per epoch, drop_last, data_issue_policy fail: evaluation overrides all four.
        try """
            Global:
              character_dict_path: \(dir)/dict.txt
              max_text_length: 25
              threads: 1
              seed: 3
              data_issue_policy: fail
            Architecture:
              model_type: rec
              algorithm: CRNN
              Backbone: {name: MobileNetV3, scale: 0.35, model_name: small, small_stride: [1, 2, 2, 2]}
              Neck: {name: SequenceEncoder, encoder_type: rnn, hidden_size: 48}
              Head: {name: CTCHead}
            Train: &data
              dataset:
                name: SimpleDataSet
                data_dir: \(dir)
                label_file_list: [\(labels)]
                ratio_list: [0.5]
                transforms:
                  - RecResizeImg: {image_shape: [3, 32, 100]}
              loader: {shuffle: true, batch_size_per_card: 3, drop_last: true, num_workers: 2}
            Eval: *data

            """.write(toFile: dir + "/config.yml", atomically: true, encoding: .utf8)

        let run = try RecognitionRunConfig(path: dir + "/config.yml")
        Torch.seed(0)
        let charset = try run.charset()
        let model = try run.makeModel(charset: charset)
        var checkpoint = Checkpoint()
        checkpoint.model = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.path, $0.tensor) })
        checkpoint.charset = charset.dictionaryText
        try checkpoint.write(to: dir + "/best.h5")

        let result = try CheckpointEvaluation.run(run, checkpoint: dir + "/best.h5", data: nil, worstImages: 10) { _ in }
        XCTAssertEqual(result.scoredCount, 4, "the four good lines, once each (drop_last would lose one, replacements add some)")
        XCTAssertEqual(result.notScored.map(\.location), [2, 4, 5, 7].map { "\(labels):\($0)" })
        XCTAssertEqual(result.notScored.map(\.category), ["undecodable-image", "undecodable-image", "undecodable-image", "missing-tab"])
        // Random weights misread every line: the worst list holds each good line exactly once.
        XCTAssertEqual(result.worst.map(\.source).sorted(), [1, 3, 6, 8].map { "\(labels):\($0) (img/\([1: 0, 3: 1, 6: 2, 8: 3][$0]!).png)" })

        // --data: the same, through the section built for other data.
        let other = try CheckpointEvaluation.run(run, checkpoint: dir + "/best.h5", data: [labels]) { _ in }
        XCTAssertEqual(other.scoredCount, 4)
        XCTAssertEqual(other.notScored.map(\.location), result.notScored.map(\.location))
    }
}
