import Foundation

/// One line of a detection label file: an image and its annotated regions.
public struct DetectionLabel: Hashable, Sendable {
    /// Image path as written (resolved against `data_dir` by the dataset).
    public var imagePath: String
    /// Regions in file order; don't-care ones included (see `TextRegion.isDontCare`).
    public var regions: [TextRegion]
    public var file: String
    public var line: Int

    public init(imagePath: String, regions: [TextRegion], file: String, line: Int) {
        self.imagePath = imagePath
        self.regions = regions
        self.file = file
        self.line = line
    }
}

/// Reads PaddleOCR detection labels:
/// `path<TAB>[{"transcription": "...", "points": [[x, y], ...]}, ...]`.
///
/// Structural problems (bad JSON, a region without a string transcription, fewer than three
/// points, a point that is not two finite numbers) are reported per line with the region index.
/// Geometric validity (zero area, self-intersection) is not judged here: PaddleOCR's metric and
/// label builders skip such polygons themselves (`Polygon.isValid`). Extra keys in a region
/// (e.g. "difficult") are ignored, as in PaddleOCR.
public struct DetectionLabelReader: Sendable {
    public var policy: LabelIssuePolicy

    public init(policy: LabelIssuePolicy = .skip) { self.policy = policy }

    /// Reads one label file. Throws `FileReadError` when it cannot be read, and
    /// `LabelFileError` on the first bad line under `.fail`.
    public func read(file path: String) throws -> LabelParseResult<DetectionLabel> {
        try parse(TextLines.read(path: path), file: path)
    }

    /// Reads several label files in order.
    public func read(files: [String]) throws -> LabelParseResult<DetectionLabel> {
        var all = LabelParseResult<DetectionLabel>()
        for f in files { all.append(try read(file: f)) }
        return all
    }

    /// Parses label text; `file` names it in issues.
    public func parse(contents: String, file: String = "<labels>") throws -> LabelParseResult<DetectionLabel> {
        try parse(TextLines(string: contents), file: file)
    }

    func parse(_ lines: TextLines, file: String) throws -> LabelParseResult<DetectionLabel> {
        try LabelLineLoop.run(lines, file: file, policy: policy) { path, json, lineNumber in
            switch Self.regions(fromJSON: json) {
            case .success(let regions):
                return .success(DetectionLabel(imagePath: path, regions: regions, file: file, line: lineNumber))
            case .failure(let list):
                return .failure(list)
            }
        }
    }

    /// Parses and checks the JSON list of regions.
    static func regions(fromJSON json: String) -> Result<[TextRegion], LabelLineLoop.KindList> {
        let value: JSONValue
        do {
            value = try JSONValue.parse(json)
        } catch let e as JSONValue.JSONSyntaxError {
            return .failure(.init(kinds: [.invalidJSON(e.reason)]))
        } catch {
            return .failure(.init(kinds: [.invalidJSON("\(error)")]))
        }
        guard case .array(let list) = value else {
            return .failure(.init(kinds: [.invalidJSON("expected a list of regions [{...}, ...]")]))
        }
        var regions = [TextRegion]()
        var kinds = [LabelIssue.Kind]()
        for (i, item) in list.enumerated() {
            guard case .object(let dict) = item else {
                kinds.append(.invalidRegion(index: i, reason: "expected an object with \"transcription\" and \"points\""))
                continue
            }
            guard case .string(let transcription)? = dict["transcription"] else {
                kinds.append(.invalidRegion(index: i, reason: dict["transcription"] == nil
                    ? "missing \"transcription\"" : "\"transcription\" is not a string"))
                continue
            }
            guard case .array(let rawPoints)? = dict["points"] else {
                kinds.append(.invalidRegion(index: i, reason: dict["points"] == nil
                    ? "missing \"points\"" : "\"points\" is not a list of [x, y]"))
                continue
            }
            var points = [Point]()
            var bad: String?
            for (k, raw) in rawPoints.enumerated() {
                guard case .array(let pair) = raw, pair.count == 2,
                      case .number(let x) = pair[0], case .number(let y) = pair[1], x.isFinite, y.isFinite else {
                    bad = "point \(k) is not [x, y] with two finite numbers"
                    break
                }
                points.append(Point(x, y))
            }
            if let bad { kinds.append(.invalidRegion(index: i, reason: bad)); continue }
            guard points.count >= 3 else {
                kinds.append(.invalidRegion(index: i, reason: "\(points.count) points; a region needs at least 3"))
                continue
            }
            regions.append(TextRegion(transcription: transcription, polygon: Polygon(points)))
        }
        return kinds.isEmpty ? .success(regions) : .failure(.init(kinds: kinds))
    }
}
