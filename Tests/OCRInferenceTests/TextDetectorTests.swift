import Foundation
import Imaging
import OCRCore
import OCRPostprocess
import OCRPreprocess
import XCTest
@testable import OCRInference

/// TextDetector on PaddleOCR's PP-OCRv4 detector: its defaults, the box filter, and the errors for
/// models of the wrong kind.
final class TextDetectorTests: XCTestCase {
    static let models = PageModels.ppocrV4(in: TestPages.modelDirectory)

    func detector() throws -> TextDetector {
        guard FileManager.default.fileExists(atPath: Self.models.detector) else {
            throw InferenceError(.fileNotFound, "\(Self.models.detector) is missing: run scripts/setup.sh")
        }
        return try TextDetector(modelPath: Self.models.detector, options: .init(intraOpThreads: 2, interOpThreads: 1))
    }

    func testPaddleOCRDetectorGetsPaddleOCRsInferenceDefaults() throws {
        let det = try detector()
        XCTAssertEqual(det.info.origin, .paddleOCR)
        XCTAssertEqual(det.info.resize.mode, .limit(side: 960, type: .max))
        XCTAssertEqual(det.info.normalize, DetNormalize())
        XCTAssertEqual(det.postprocess.thresh, 0.3)
        XCTAssertEqual(det.postprocess.boxThresh, 0.6)
        XCTAssertEqual(det.postprocess.unclipRatio, 1.5)
        XCTAssertEqual(det.postprocess.scoreMode, .fast)
    }

    /// Every box is a quad TL, TR, BR, BL of whole pixels inside the page, one per rendered line.
    func testBoxesAreOrderedClippedQuads() throws {
        let (image, placed) = try TestPages.page(width: 500, height: 300, lines: [
            TestPages.Placed(text: "edge of the page", x: 0, y: 0),
            TestPages.Placed(text: "middle", x: 200, y: 150),
        ])
        let found = try detector().detect(image)
        XCTAssertEqual(found.count, placed.count, "\(found)")
        for region in found {
            let p = region.polygon.points
            XCTAssertEqual(p.count, 4)
            XCTAssertEqual(region.polygon.orderedClockwise(), region.polygon, "not TL, TR, BR, BL: \(p)")
            for q in p {
                XCTAssertTrue((0...Double(image.width - 1)).contains(q.x) && (0...Double(image.height - 1)).contains(q.y), "\(q) outside")
                XCTAssertEqual(q.x, q.x.rounded()); XCTAssertEqual(q.y, q.y.rounded())
            }
            XCTAssertGreaterThanOrEqual(region.score, 0.6)
        }
        // One box per line, on it (clipping itself: testFilterClipsAndDropsTinyBoxes).
        for line in placed {
            XCTAssertEqual(found.filter { r in
                let c = r.polygon.boundingBox!
                return Double(line.rect.x0) <= (c.minX + c.maxX) / 2 && (c.minX + c.maxX) / 2 <= Double(line.rect.x1)
                    && Double(line.rect.y0) <= (c.minY + c.maxY) / 2 && (c.minY + c.maxY) / 2 <= Double(line.rect.y1)
            }.count, 1, line.text)
        }
    }

    /// filter_tag_det_res: out-of-page corners clipped to size - 1, boxes 3 px or less across dropped.
    func testFilterClipsAndDropsTinyBoxes() throws {
        let det = try detector()
        let outside = DetectedText(polygon: Polygon([(-5, 2), (120, 2), (120, 60), (-5, 60)]), score: 0.9)
        XCTAssertEqual(det.filtered(outside, width: 100, height: 50)?.polygon, Polygon([(0, 2), (99, 2), (99, 49), (0, 49)]))
        // Corners given counter-clockwise come back TL, TR, BR, BL.
        let ccw = DetectedText(polygon: Polygon([(10, 10), (10, 30), (60, 30), (60, 10)]), score: 0.9)
        XCTAssertEqual(det.filtered(ccw, width: 100, height: 50)?.polygon, Polygon([(10, 10), (60, 10), (60, 30), (10, 30)]))
        // 3 px high: dropped; 4 px: kept. 3 px wide: dropped.
        XCTAssertNil(det.filtered(DetectedText(polygon: Polygon([(10, 10), (60, 10), (60, 13), (10, 13)]), score: 0.9), width: 100, height: 50))
        XCTAssertNotNil(det.filtered(DetectedText(polygon: Polygon([(10, 10), (60, 10), (60, 14), (10, 14)]), score: 0.9), width: 100, height: 50))
        XCTAssertNil(det.filtered(DetectedText(polygon: Polygon([(10, 10), (13, 10), (13, 40), (10, 40)]), score: 0.9), width: 100, height: 50))
    }

    /// A recogniser, a classifier or a non-detector graph given as the detector: refused naming the file.
    func testModelsOfTheWrongKindAreRefused() throws {
        for (path, says) in [(Self.models.recognizer, "a text recogniser?"), (Self.models.classifier!, "a classifier?"),
                             (Fixtures.path("matmul_softmax.onnx"), "not a text detector")] {
            let e = assertThrows(InferenceError.self) { try TextDetector(modelPath: path) }
            XCTAssertEqual(e?.kind, .metadata, path)
            XCTAssertTrue(e?.message.hasPrefix(path) == true && e?.message.contains(says) == true, e?.message ?? "")
        }
        // An OCRKit model of another kind says so.
        let input = TensorInfo(name: "x", elementType: .float, shape: [nil, 3, nil, nil])
        let output = TensorInfo(name: "maps", elementType: .float, shape: [nil, 1, nil, nil])
        let e = assertThrows(InferenceError.self) {
            try DetectionModelInfo(path: "m.onnx", metadata: ["ocrkit.kind": "rec"], inputs: [input], outputs: [output])
        }
        XCTAssertEqual(e?.message, "m.onnx: ocrkit.kind is 'rec', not 'det': this model is not a text detector")
        // Not ONNX at all.
        let dir = try Fixtures.scratchDirectory("det")
        let junk = dir + "/det.onnx"
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: junk))
        XCTAssertEqual(assertThrows(InferenceError.self) { try TextDetector(modelPath: junk) }?.kind, .notONNX)
    }

    /// OCRKit's det metadata sets the resize and normalisation; a bad value names its key.
    func testOCRKitMetadata() throws {
        let input = TensorInfo(name: "x", elementType: .float, shape: [nil, 3, nil, nil])
        let output = TensorInfo(name: "maps", elementType: .float, shape: [nil, 1, nil, nil])
        let base = ["ocrkit.kind": "det", "ocrkit.format_version": "1"]
        let info = try DetectionModelInfo(path: "m.onnx", metadata: base.merging(["ocrkit.limit_side_len": "736", "ocrkit.limit_type": "min",
                                                                                   "ocrkit.mean": "0.5,0.5,0.5", "ocrkit.std": "0.5,0.5,0.5"]) { $1 },
                                          inputs: [input], outputs: [output])
        XCTAssertEqual(info.origin, .ocrkit)
        XCTAssertEqual(info.resize.mode, .limit(side: 736, type: .min))
        XCTAssertEqual(info.normalize.mean, [0.5, 0.5, 0.5])
        XCTAssertEqual(try DetectionModelInfo(path: "m.onnx", metadata: base, inputs: [input], outputs: [output]).resize.mode,
                       .limit(side: 960, type: .max))
        let bad = assertThrows(InferenceError.self) {
            try DetectionModelInfo(path: "m.onnx", metadata: base.merging(["ocrkit.limit_side_len": "960", "ocrkit.limit_type": "big"]) { $1 },
                                   inputs: [input], outputs: [output])
        }
        XCTAssertEqual(bad?.message, "m.onnx: metadata ocrkit.limit_type = 'big' is not one of max, min, resize_long")
    }

    /// PaddleOCR's metadata-free angle classifier is read with PaddleOCR's defaults.
    func testPaddleOCRClassifierDefaults() throws {
        let cls = try TextClassifier(modelPath: Self.models.classifier!)
        XCTAssertEqual(cls.info.labels, ["0", "180"])
        XCTAssertEqual(cls.info.threshold, 0.9)
        XCTAssertEqual(cls.info.resize.imageShape, [3, 48, 192])
        XCTAssertEqual(cls.info.colorOrder, .bgr)
        // A detector without metadata is not taken for a classifier.
        let e = assertThrows(InferenceError.self) { try TextClassifier(modelPath: Self.models.detector) }
        XCTAssertTrue(e?.message.contains("no OCRKit classifier metadata") == true, e?.message ?? "")
    }

    /// PaddleOCR's det_limit_side_len / det_limit_type replace the model's resize.
    func testResizeOverride() throws {
        let reader = try PageReader(models: Self.models, detResize: DetResize(mode: .limit(side: 736, type: .min)))
        XCTAssertEqual(reader.detector.resize.mode, .limit(side: 736, type: .min))
        XCTAssertEqual(reader.detector.info.resize.mode, .limit(side: 960, type: .max))
        let e = assertThrows(InferenceError.self) { try PageReader(models: Self.models, detResize: DetResize(mode: .limit(side: 0, type: .max))) }
        XCTAssertTrue(e?.message.contains("limit_side_len") == true, e?.message ?? "")
    }

    func testModelFolder() throws {
        // PaddleOCR's names, in a folder of their own (.deps/models may hold other models too).
        let paddle = try Fixtures.scratchDirectory("paddle-models")
        defer { try? FileManager.default.removeItem(atPath: paddle) }
        for name in ["ch_PP-OCRv4_det_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"] {
            try Data().write(to: URL(fileURLWithPath: paddle + "/" + name))
        }
        XCTAssertEqual(try PageModels.directory(paddle), PageModels.ppocrV4(in: paddle))
        try Data().write(to: URL(fileURLWithPath: paddle + "/PP-OCRv6_det_small.onnx"))
        XCTAssertEqual(assertThrows(InferenceError.self) { try PageModels.directory(paddle) }?.message,
                       "\(paddle): 2 det models (PP-OCRv6_det_small.onnx, ch_PP-OCRv4_det_infer.onnx); name one with --det")
        let dir = try Fixtures.scratchDirectory("models")
        let e = assertThrows(InferenceError.self) { try PageModels.directory(dir) }
        XCTAssertEqual(e?.message, "\(dir): no det model (det.onnx or a name containing _det); .onnx files there: none")
        for name in ["det.onnx", "cls.onnx", "rec.onnx"] { try Data().write(to: URL(fileURLWithPath: dir + "/" + name)) }
        XCTAssertEqual(try PageModels.directory(dir), PageModels(detector: dir + "/det.onnx", classifier: dir + "/cls.onnx", recognizer: dir + "/rec.onnx"))
    }
}
