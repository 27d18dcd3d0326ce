import OCRCore

/// A config value from a closed set: decoding fails with the key, the value and the choices.
public protocol ConfigChoice: RawRepresentable<String>, CaseIterable, Decodable, Sendable {}

extension ConfigChoice {
    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let v = Self(rawValue: raw) else {
            let key = decoder.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConfigError(.invalidValue, path: key,
                              "\(key) '\(raw)' is not one of " + Self.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = v
    }
}

/// `Loss.name`: CTCLoss (rec), ClsLoss (cls, cross-entropy) or DBLoss (det; its settings: `DBLossConfig`).
public enum LossName: String, ConfigChoice { case ctc = "CTCLoss", cls = "ClsLoss", db = "DBLoss" }
/// `PostProcess.name`: CTCLabelDecode (rec, greedy), ClsPostProcess (cls, arg-max over label_list) or
/// DBPostProcess (det; its settings: `DBPostProcessOptions`).
public enum PostProcessName: String, ConfigChoice { case ctcLabelDecode = "CTCLabelDecode", cls = "ClsPostProcess", db = "DBPostProcess" }
/// `Metric.name`: RecMetric (rec), ClsMetric (cls) or DetMetric (det: precision, recall, hmean at IoU 0.5).
public enum MetricName: String, ConfigChoice { case rec = "RecMetric", cls = "ClsMetric", det = "DetMetric" }
/// `Metric.main_indicator`: the figure that picks best.h5.
public enum MainIndicator: String, ConfigChoice { case acc, normEditDis = "norm_edit_dis", hmean }

/// `Loss`: only its name; PaddleOCR's CTCLoss and ClsLoss have no other settings OCRKit reads.
public struct LossSection: Decodable, Sendable {
    public var name: LossName
    public init(name: LossName) { self.name = name }
}

/// `PostProcess`: the decoder; ClsPostProcess names its labels (class 0 first).
public struct PostProcessSection: Decodable, Sendable {
    public var name: PostProcessName
    /// ClsPostProcess: the class labels, e.g. ['0', '180'].
    public var labelList: [String]?
    enum CodingKeys: String, CodingKey { case name, labelList = "label_list" }
    public init(name: PostProcessName, labelList: [String]? = nil) {
        self.name = name
        self.labelList = labelList
    }
}

/// `Metric`: what evaluation reports and which figure is "best".
public struct MetricSection: Decodable, Sendable {
    public var name: MetricName
    /// acc (default) or, for RecMetric, norm_edit_dis.
    public var mainIndicator: MainIndicator?
    /// RecMetric: ignore spaces when comparing (PaddleOCR's default true).
    public var ignoreSpace: Bool?
    enum CodingKeys: String, CodingKey { case name, mainIndicator = "main_indicator", ignoreSpace = "ignore_space" }
    public init(name: MetricName) { self.name = name }
}

/// The Loss, PostProcess and Metric sections of a task's config, checked against the task:
/// a recogniser's config naming ClsLoss (or the other way round) is an error naming the key.
public struct TaskHeads: Sendable {
    public var loss: LossSection
    public var postProcess: PostProcessSection
    public var metric: MetricSection

    public init(tree: ConfigTree, task: TaskKind) throws {
        let (loss, post, metric): (LossName, PostProcessName, MetricName) = switch task {
        case .rec: (.ctc, .ctcLabelDecode, .rec)
        case .cls: (.cls, .cls, .cls)
        case .det: (.db, .db, .det)
        }
        if task == .det {
            // DBLoss and DBPostProcess carry settings: DetectionRunConfig decodes them whole.
            self.loss = LossSection(name: tree.contains("Loss.name") ? try tree.decode(LossName.self, at: "Loss.name") : loss)
            postProcess = PostProcessSection(name: tree.contains("PostProcess.name") ? try tree.decode(PostProcessName.self, at: "PostProcess.name") : post)
        } else {
            self.loss = tree.contains("Loss") ? try tree.decode(LossSection.self, at: "Loss") : LossSection(name: loss)
            postProcess = tree.contains("PostProcess") ? try tree.decode(PostProcessSection.self, at: "PostProcess") : PostProcessSection(name: post)
        }
        self.metric = tree.contains("Metric") ? try tree.decode(MetricSection.self, at: "Metric") : MetricSection(name: metric)
        func check(_ key: String, _ got: String, _ want: String) throws {
            guard got == want else {
                throw ConfigError(.invalidValue, location: tree.location(of: key), path: key,
                                  "\(key) '\(got)' does not fit Architecture.model_type \(task.rawValue): use \(want)")
            }
        }
        try check("Loss.name", self.loss.name.rawValue, loss.rawValue)
        try check("PostProcess.name", postProcess.name.rawValue, post.rawValue)
        try check("Metric.name", self.metric.name.rawValue, metric.rawValue)
        if task != .rec, self.metric.ignoreSpace != nil { throw ConfigError(.unknownKey, path: "Metric.ignore_space", "Metric.ignore_space applies to RecMetric only") }
        if task != .rec, self.metric.mainIndicator == .normEditDis {
            throw ConfigError(.invalidValue, path: "Metric.main_indicator", "Metric.main_indicator norm_edit_dis applies to RecMetric only; ClsMetric has acc")
        }
        if let m = self.metric.mainIndicator, (task == .det) != (m == .hmean) {
            throw ConfigError(.invalidValue, path: "Metric.main_indicator",
                              "Metric.main_indicator \(m.rawValue) does not fit \(metric.rawValue): " + (task == .det ? "use hmean" : "hmean is DetMetric's"))
        }
        if task != .cls, postProcess.labelList != nil {
            throw ConfigError(.unknownKey, path: "PostProcess.label_list", "PostProcess.label_list applies to ClsPostProcess only")
        }
    }
}
