import OCRExport
import OCRInference
import OCRPostprocess
import OCRPreprocess
import OCRRun
import XCTest

/// `DetectorMetadata`: written as `metadata_props` and read back (each resize mode), taken from a
/// det config's Eval and PostProcess sections, and a missing or bad key refused by name.
final class DetectorMetadataTests: XCTestCase {
    func roundTrip(_ m: DetectorMetadata) throws -> DetectorMetadata {
        try DetectorMetadata(properties: Dictionary(uniqueKeysWithValues: m.properties.map { ($0.key, $0.value) }))
    }

    func testRoundTripEveryResizeMode() throws {
        let pp = DBPostProcessOptions(thresh: 0.25, boxThresh: 0.55, maxCandidates: 300, unclipRatio: 2.0, scoreMode: .slow,
                                      boxType: .poly, useDilation: true, minSize: 4)
        for mode in [DetResize.Mode.limit(side: 960, type: .max), .limit(side: 736, type: .min), .limit(side: 640, type: .resizeLong),
                     .shape(height: 640, width: 960, keepRatio: true), .long(side: 960)] {
            let m = DetectorMetadata(resize: DetResize(mode: mode, maxSideLimit: 2000), normalize: DetNormalize(mean: [0.5], std: [0.25]),
                                     colorOrder: "RGB", postProcess: pp, sourceCheckpoint: "runs/det/best.h5", configSHA256: "ab12")
            XCTAssertEqual(m.normalize.mean, [0.5, 0.5, 0.5], "one value is spelt out per channel")
            var back = try roundTrip(m)
            if case .limit = mode {} else { back.resize.maxSideLimit = 2000 }       // only the limit modes write it
            XCTAssertEqual(back, m, "\(mode)")
        }
        let keys = DetectorMetadata().properties.map(\.key)
        XCTAssertEqual(keys.prefix(2), ["ocrkit.kind", "ocrkit.format_version"])
        for k in ["ocrkit.limit_side_len", "ocrkit.limit_type", "ocrkit.mean", "ocrkit.std", "ocrkit.scale", "ocrkit.color_order",
                  "ocrkit.thresh", "ocrkit.box_thresh", "ocrkit.unclip_ratio", "ocrkit.max_candidates", "ocrkit.score_mode",
                  "ocrkit.box_type", "ocrkit.output", "ocrkit.source_checkpoint", "ocrkit.config_sha256"] {
            XCTAssertTrue(keys.contains(k), k)
        }
    }

    /// The inference side (OCRInference's DetectionModelInfo, which `TextDetector` and `ocr predict`
    /// use) reads back what the export writes: resize, normalisation and the DB post-processing.
    func testInferenceReadsWhatTheExportWrites() throws {
        let pp = DBPostProcessOptions(thresh: 0.25, boxThresh: 0.55, maxCandidates: 300, unclipRatio: 2.0, scoreMode: .slow,
                                      boxType: .quad, useDilation: true, minSize: 4)
        let io = (inputs: [TensorInfo(name: "x", elementType: .float, shape: [nil, 3, nil, nil])],
                  outputs: [TensorInfo(name: "maps", elementType: .float, shape: [nil, 1, nil, nil])])
        for mode in [DetResize.Mode.limit(side: 736, type: .min), .shape(height: 640, width: 960, keepRatio: true), .long(side: 960)] {
            let m = DetectorMetadata(resize: DetResize(mode: mode), normalize: DetNormalize(scale: 1 / 255, mean: [0.5], std: [0.25]),
                                     colorOrder: "BGR", postProcess: pp, sourceCheckpoint: "x.h5", configSHA256: "ab")
            let info = try DetectionModelInfo(path: "det.onnx", metadata: Dictionary(uniqueKeysWithValues: m.properties.map { ($0.key, $0.value) }),
                                              inputs: io.inputs, outputs: io.outputs)
            XCTAssertEqual(info.origin, .ocrkit)
            XCTAssertEqual(info.resize.mode, mode)
            XCTAssertEqual(info.normalize.mean, [0.5, 0.5, 0.5])
            XCTAssertEqual(info.normalize.std, [0.25, 0.25, 0.25])
            XCTAssertEqual(info.postProcess, pp)
        }
        var bad = Dictionary(uniqueKeysWithValues: DetectorMetadata().properties.map { ($0.key, $0.value) })
        bad["ocrkit.score_mode"] = "fastest"
        XCTAssertThrowsError(try DetectionModelInfo(path: "det.onnx", metadata: bad, inputs: io.inputs, outputs: io.outputs)) {
            XCTAssertTrue("\($0)".contains("det.onnx") && "\($0)".contains("score_mode"), "\($0)")
        }
    }

    /// configs/det/det_mv3_db_synth.yml: Eval's DetResizeForTest (640, max), ImageNet mean/std, BGR, its PostProcess.
    func testFromConfig() throws {
        let config = try DetectionRunConfig(path: PythonONNXCheck.packageRoot + "/configs/det/det_mv3_db_synth.yml",
                                            overrides: ["PostProcess.box_thresh=0.7"])
        let m = DetectorMetadata(config: config)
        let p = Dictionary(uniqueKeysWithValues: m.properties.map { ($0.key, $0.value) })
        XCTAssertEqual(p["ocrkit.kind"], "det")
        XCTAssertEqual(p["ocrkit.resize"], "limit")
        XCTAssertEqual(p["ocrkit.limit_side_len"], "640")
        XCTAssertEqual(p["ocrkit.limit_type"], "max")
        XCTAssertEqual(p["ocrkit.mean"], "0.485,0.456,0.406")
        XCTAssertEqual(p["ocrkit.std"], "0.229,0.224,0.225")
        XCTAssertEqual(p["ocrkit.color_order"], "BGR")
        XCTAssertEqual(p["ocrkit.box_thresh"], "0.7")
        XCTAssertEqual(p["ocrkit.unclip_ratio"], "1.5")
        XCTAssertEqual(p["ocrkit.score_mode"], "fast")
        XCTAssertEqual(p["ocrkit.box_type"], "quad")
        XCTAssertEqual(p["ocrkit.output"], "maps")
    }

    func testMissingOrBadKeysAreNamed() throws {
        var p = Dictionary(uniqueKeysWithValues: DetectorMetadata().properties.map { ($0.key, $0.value) })
        p["ocrkit.unclip_ratio"] = nil
        XCTAssertThrowsError(try DetectorMetadata(properties: p)) { XCTAssertTrue("\($0)".contains("ocrkit.unclip_ratio is missing"), "\($0)") }
        p["ocrkit.unclip_ratio"] = "wide"
        XCTAssertThrowsError(try DetectorMetadata(properties: p)) { XCTAssertTrue("\($0)".contains("ocrkit.unclip_ratio 'wide'"), "\($0)") }
        p["ocrkit.unclip_ratio"] = "1.5"
        p["ocrkit.limit_type"] = "longest"
        XCTAssertThrowsError(try DetectorMetadata(properties: p)) { XCTAssertTrue("\($0)".contains("ocrkit.limit_type 'longest'"), "\($0)") }
        p["ocrkit.limit_type"] = "max"
        p["ocrkit.box_thresh"] = "1.5"
        XCTAssertThrowsError(try DetectorMetadata(properties: p)) { XCTAssertTrue("\($0)".contains("box_thresh"), "\($0)") }
        p["ocrkit.box_thresh"] = "0.6"
        p["ocrkit.kind"] = "rec"
        XCTAssertThrowsError(try DetectorMetadata(properties: p)) { XCTAssertTrue("\($0)".contains("not det"), "\($0)") }
        p["ocrkit.kind"] = "det"
        XCTAssertNoThrow(try DetectorMetadata(properties: p))
    }
}
