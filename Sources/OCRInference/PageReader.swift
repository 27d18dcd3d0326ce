import Foundation
import Imaging
import OCRCore
import OCRPostprocess
import OCRPreprocess

/// Reads whole pages: detection, reading order, crops, the angle classifier, recognition -
/// PaddleOCR's `TextSystem` (tools/infer/predict_system.py), which RapidOCR 1.4.4 follows:
///
/// 1. `TextDetector`: DB boxes, ordered clockwise, clipped, tiny ones dropped;
/// 2. `ReadingOrder.sorted` (`sorted_boxes`): top to bottom, left to right within 10 px;
/// 3. `TextCrop.crop` (`get_rotate_crop_image`): a perspective crop, vertical lines turned;
/// 4. `TextClassifier` when given: crops labelled 180 above its threshold (0.9) turned over;
/// 5. `TextRecognizer`: aspect-sorted batches, each as wide as its widest line;
/// 6. lines whose confidence is below `dropScore` (0.5) left out.
///
/// `read` is `prepare` (steps 1-4), the recogniser, then `finish` (step 6); a server calls the
/// halves itself to batch the recogniser across pages.
///
///     let reader = try PageReader(models: .ppocrV4(in: ".deps/models"))
///     let page = try reader.read(PageImage.read("scan.png"))
///     for line in page.lines { print(line.text, line.confidence, line.textRegion) }
///
/// Sendable: every stage is.
public struct PageReader: Sendable {
    /// One line read on a page: PaddleOCR's serving result (`text`, `confidence`, `text_region`).
    public struct Line: Sendable, Equatable, Codable {
        public var text: String
        public var confidence: Float
        /// The detected quad TL, TR, BR, BL in page pixels.
        public var textRegion: [[Int]]

        public init(text: String, confidence: Float, textRegion: [[Int]]) {
            self.text = text
            self.confidence = confidence
            self.textRegion = textRegion
        }

        enum CodingKeys: String, CodingKey { case text, confidence, textRegion = "text_region" }

        /// The region as a polygon.
        public var polygon: Polygon { Polygon(textRegion.map { Point(Double($0[0]), Double($0[1])) }) }
    }

    /// Seconds spent in each stage of one page.
    public struct Timings: Sendable, Equatable {
        /// Detection: resize, normalise, model, DB post-processing, box filter.
        public var det = 0.0
        /// The angle classifier (0 without one).
        public var cls = 0.0
        /// Recognition of every crop.
        public var rec = 0.0
        /// The whole page, ordering and cropping included.
        public var total = 0.0

        public init(det: Double = 0, cls: Double = 0, rec: Double = 0, total: Double = 0) {
            (self.det, self.cls, self.rec, self.total) = (det, cls, rec, total)
        }

        /// Adds another page's times, stage by stage (sums over pages).
        public static func += (a: inout Timings, b: Timings) {
            a.det += b.det
            a.cls += b.cls
            a.rec += b.rec
            a.total += b.total
        }

        /// `[2026-12-03 18:00:00] det: 12.34ms`, one line per stage (UTC time stamps).
        public func logLines(at date: Date = Date()) -> [String] {
            let stamp = PageReader.logTimestamp(date)
            return [("det", det), ("cls", cls), ("rec", rec), ("total", total)].map {
                "[\(stamp)] \($0.0): \(String(format: "%.2f", $0.1 * 1000))ms"
            }
        }
    }

    /// One page read.
    public struct Page: Sendable {
        /// In reading order, those at or above `dropScore`.
        public var lines: [Line]
        /// Every box the detector found, in reading order, before the confidence filter: what
        /// the detection metric scores (the lines above are what the reader keeps).
        public var boxes: [DetectedText]
        public var timings: Timings

        /// Boxes the detector found (before the confidence filter).
        public var detected: Int { boxes.count }

        public init(lines: [Line], boxes: [DetectedText], timings: Timings = Timings()) {
            self.lines = lines
            self.boxes = boxes
            self.timings = timings
        }
    }

    public let detector: TextDetector
    public let classifier: TextClassifier?
    public let recognizer: TextRecognizer
    /// PaddleOCR's `drop_score` (RapidOCR's `text_score`): lines read with a lower confidence are
    /// left out.
    public var dropScore: Float

    public init(detector: TextDetector, classifier: TextClassifier?, recognizer: TextRecognizer, dropScore: Float = 0.5) throws {
        guard (0...1).contains(dropScore) else {
            throw InferenceError(.invalidInput, "drop score must be in 0...1, got \(dropScore)")
        }
        self.detector = detector
        self.classifier = classifier
        self.recognizer = recognizer
        self.dropScore = dropScore
    }

    /// Opens the three models, each with `options`. Batches of 6 crops for the classifier and the
    /// recogniser, as PaddleOCR's `cls_batch_num` and `rec_batch_num`. Errors name the file.
    /// `detResize` replaces the detector model's own resize.
    public init(models: PageModels, options: InferenceSession.Options = .init(), batchSize: Int = 6,
                detResize: DetResize? = nil, postprocess: DBPostProcessOptions? = nil,
                dropScore: Float = 0.5) throws {
        var detector = try TextDetector(modelPath: models.detector, options: options, postprocess: postprocess)
        if let detResize {
            do { try detResize.validate() } catch { throw InferenceError(.invalidInput, "\(error)") }
            detector.resize = detResize
        }
        try self.init(detector: detector,
                      classifier: try models.classifier.map { try TextClassifier(modelPath: $0, options: options, batchSize: batchSize) },
                      recognizer: TextRecognizer(modelPath: models.recognizer, options: options, batchSize: batchSize),
                      dropScore: dropScore)
    }

    /// A page after detection, reading order, cropping and the angle classifier: what recognition
    /// needs. `prepare` and `finish` are `read` in two halves, so a server can recognise the crops
    /// of several pages in one batch (OCRServe's `RecognitionBatcher`) with the same code.
    public struct PreparedPage: Sendable {
        /// The detected quads in reading order.
        public var regions: [Polygon]
        /// One crop per region, turned upright (vertical lines a quarter, classified ones a half).
        public var crops: [Image]
        /// Every box the detector found, in reading order (`regions` are their polygons).
        public var boxes: [DetectedText]
        /// `det` and `cls` filled in; `rec` and `total` by `finish`.
        public var timings: Timings
        /// When `prepare` started (the page's total time runs from here).
        public var started: DispatchTime
    }

    /// Reads one page (any colour order; BGR as `PageImage.read` gives is used as is).
    public func read(_ image: Image) throws -> Page {
        let prepared = try prepare(image)
        let t = DispatchTime.now()
        let read = prepared.crops.isEmpty ? [] : try recognizer.recognize(prepared.crops)
        return try finish(prepared, recognitions: read, recognitionSeconds: Self.seconds(since: t))
    }

    /// Detection, reading order, crops and the classifier for one page.
    public func prepare(_ image: Image) throws -> PreparedPage {
        let start = DispatchTime.now()
        var timings = Timings()
        let page = try image.colorOrder == .bgr ? image : image.converted(to: .bgr)

        var t = DispatchTime.now()
        let found = try detector.detect(page)
        timings.det = Self.seconds(since: t)

        let boxes = ReadingOrder.sorted(found.map(\.polygon)).map { found[$0] }
        let regions = boxes.map(\.polygon)
        var crops = try regions.map { try TextCrop.crop(page, quad: $0) }

        if let classifier, !crops.isEmpty {
            t = DispatchTime.now()
            for (i, c) in try classifier.classify(crops).enumerated() where c.shouldTurn { crops[i] = crops[i].rotated180() }
            timings.cls = Self.seconds(since: t)
        }
        return PreparedPage(regions: regions, crops: crops, boxes: boxes, timings: timings, started: start)
    }

    /// The page from its prepared half and the recogniser's reading of its crops (in crop order):
    /// lines below `dropScore` left out, `recognitionSeconds` as the rec time.
    public func finish(_ prepared: PreparedPage, recognitions: [TextRecognizer.Recognition],
                       recognitionSeconds: Double) throws -> Page {
        guard recognitions.count == prepared.crops.count else {
            throw InferenceError(.invalidInput, "\(recognizer.info.path): \(recognitions.count) recognitions for \(prepared.crops.count) crops")
        }
        var timings = prepared.timings
        timings.rec = recognitionSeconds
        let lines = zip(prepared.regions, recognitions).compactMap { region, r -> Line? in
            guard r.confidence >= dropScore else { return nil }
            return Line(text: r.text, confidence: r.confidence,
                        textRegion: region.points.map { [Int($0.x.rounded()), Int($0.y.rounded())] })
        }
        timings.total = Self.seconds(since: prepared.started)
        return Page(lines: lines, boxes: prepared.boxes, timings: timings)
    }

    /// Seconds from `t` to now (the stage timings; OCRServe's too).
    public static func seconds(since t: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9
    }

    /// `2026-12-03 18:00:00` in UTC.
    public static func logTimestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: date)
    }
}
