/// DB detector presets, as PaddleOCR's det configs write their `Architecture` section:
///
/// ```yaml
/// Architecture:
///   model_type: det
///   algorithm: DB
///   Transform:
///   Backbone: {name: MobileNetV3, scale: 0.5, model_name: large, disable_se: false}
///   Neck: {name: DBFPN, out_channels: 256}          # or {name: RSEFPN, out_channels: 96, shortcut: true}
///   Head: {name: DBHead, k: 50}
/// ```
/// PaddleOCR's det MobileNetV3 defaults to `model_name: large`; OCRKit's `MobileNetV3Config`
/// defaults to the recogniser's `small`, so det configs should name it (PaddleOCR's all do).
extension ArchitectureConfig {
    /// PaddleOCR's `configs/det/det_mv3_db.yml`: MobileNetV3-large x0.5, DBFPN 256, DBHead k 50.
    public static let dbMobileNetV3: ArchitectureConfig = ArchitectureConfig(
        modelType: "det", algorithm: "DB", backbone: .mobileNetV3(MobileNetV3Config(modelName: "large", scale: 0.5)),
        neck: .dbFPN(outChannels: 256), head: .dbHead(k: 50))

    /// The PP-OCRv3 detector's student (`ch_PP-OCRv3_det_student.yml`): MobileNetV3-large x0.5
    /// without SE, RSEFPN 96 with shortcuts, DBHead k 50.
    public static let dbRSEFPN: ArchitectureConfig = ArchitectureConfig(
        modelType: "det", algorithm: "DB",
        backbone: .mobileNetV3(MobileNetV3Config(modelName: "large", scale: 0.5, disableSE: true)),
        neck: .rseFPN(outChannels: 96, shortcut: true), head: .dbHead(k: 50))
}
