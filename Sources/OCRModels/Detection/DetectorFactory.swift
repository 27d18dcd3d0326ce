import NN
import Torch

/// Builds a DB text detector from PaddleOCR's `Architecture` section with `model_type: det`
/// (`configs/det/det_mv3_db.yml`; `ArchitectureConfig.dbMobileNetV3`, `.dbRSEFPN`).
public enum DetectorFactory {
    static let backbones = ["MobileNetV3"], heads = ["DBHead"]

    /// - Parameter arch: the `Architecture` section: model_type det, algorithm DB, no Transform,
    ///   a MobileNetV3 backbone (`model_name`, `scale`, `disable_se`, `in_channels`; default 3
    ///   image channels), a DBFPN or RSEFPN neck with `out_channels`, a DBHead.
    /// - Throws: `ModelError` naming the unknown name (with the known ones) or the bad setting.
    public static func make(_ arch: ArchitectureConfig) throws -> DBNet {
        guard arch.modelType == "det" else {
            throw ModelError(.invalidConfig, "DetectorFactory builds model_type det, got '\(arch.modelType)' "
                             + "(RecognizerFactory builds rec, ClassifierFactory cls)")
        }
        guard arch.algorithm == "DB" else { throw ModelError.unknown("det algorithm", arch.algorithm, known: ["DB"]) }
        if let t = arch.transform { throw ModelError.unknown("Transform", t.name, known: []) }
        guard case .mobileNetV3(let b) = arch.backbone else {
            throw ModelError.unknown("det Backbone name", arch.backbone.name, known: backbones)
        }
        guard let modelName = MobileNetV3.ModelName(rawValue: b.modelName) else {
            throw ModelError.unknown("MobileNetV3 model_name", b.modelName, known: MobileNetV3.ModelName.allCases.map(\.rawValue))
        }
        let recDefaults = MobileNetV3Config()
        guard b.largeStride == recDefaults.largeStride, b.smallStride == recDefaults.smallStride else {
            throw ModelError(.invalidConfig, "MobileNetV3 large_stride/small_stride are recogniser settings; the det backbone's "
                             + "strides are fixed (outputs at 4, 8, 16, 32): remove them from the det config")
        }
        guard let neckConfig = arch.neck else {
            throw ModelError(.invalidConfig, "DBHead needs a feature pyramid: add `Neck: {name: DBFPN, out_channels: 256}`")
        }
        guard NeckConfig.detectionNames.contains(neckConfig.name) else {
            throw ModelError.unknown("det Neck name", neckConfig.name, known: NeckConfig.detectionNames)
        }
        guard let width = neckConfig.outChannels else {
            throw ModelError(.invalidConfig, "\(neckConfig.name) needs out_channels (PaddleOCR's det_mv3_db.yml: 256)")
        }
        guard heads.contains(arch.head.name) else { throw ModelError.unknown("det Head name", arch.head.name, known: heads) }

        let inChannels = b.inChannels ?? 3
        let root = Path.root
        let backbone = try DetMobileNetV3(root / "backbone", inChannels: inChannels, modelName: modelName, scale: b.scale,
                                          disableSE: b.disableSE)
        let neck: any DetectionNeck = neckConfig.name == "DBFPN"
            ? try DBFPN(root / "neck", inChannels: backbone.outChannels, outChannels: width)
            : try RSEFPN(root / "neck", inChannels: backbone.outChannels, outChannels: width, shortcut: neckConfig.shortcut)
        let head = try DBHead(root / "head", inChannels: neck.outChannels, k: arch.head.k ?? 50)
        return DBNet(root, architecture: arch, backbone: backbone, neck: neck, head: head, inputChannels: inChannels)
    }
}
