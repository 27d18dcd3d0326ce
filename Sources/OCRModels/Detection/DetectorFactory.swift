import NN
import Torch

/// Builds a DB text detector from PaddleOCR's `Architecture` section with `model_type: det`
/// (`configs/det/det_mv3_db.yml`; `ArchitectureConfig.dbMobileNetV3`, `.dbRSEFPN`).
public enum DetectorFactory {
    static let backbones = ["MobileNetV3", "PPLCNetV3", "PPLCNetV4"], heads = ["DBHead"]

    /// - Parameter arch: the `Architecture` section: model_type det, algorithm DB, no Transform,
    ///   a MobileNetV3 backbone (`model_name`, `scale`, `disable_se`, `in_channels`; default 3
    ///   image channels) or PP-OCRv4's PPLCNetV3 with `det: true` (`configs/det/ppocrv4_det.yml`:
    ///   scale 0.75, RSEFPN 96), a DBFPN or RSEFPN neck with `out_channels`, a DBHead.
    /// - Throws: `ModelError` naming the unknown name (with the known ones) or the bad setting.
    public static func make(_ arch: ArchitectureConfig) throws -> DBNet {
        guard arch.modelType == "det" else {
            throw ModelError(.invalidConfig, "DetectorFactory builds model_type det, got '\(arch.modelType)' "
                             + "(RecognizerFactory builds rec, ClassifierFactory cls)")
        }
        guard arch.algorithm == "DB" else { throw ModelError.unknown("det algorithm", arch.algorithm, known: ["DB"]) }
        if let t = arch.transform { throw ModelError.unknown("Transform", t.name, known: []) }
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

        let root = Path.root
        let (backbone, inChannels) = try makeBackbone(arch.backbone, root / "backbone")
        let neck: any DetectionNeck = switch neckConfig.name {
        case "DBFPN": try DBFPN(root / "neck", inChannels: backbone.featureChannels, outChannels: width)
        case "RepLKFPN": try RepLKFPN(root / "neck", inChannels: backbone.featureChannels, outChannels: width, shortcut: neckConfig.shortcut)
        default: try RSEFPN(root / "neck", inChannels: backbone.featureChannels, outChannels: width, shortcut: neckConfig.shortcut)
        }
        let head = try DBHead(root / "head", inChannels: neck.outChannels, k: arch.head.k ?? 50, foldedBN: arch.head.foldedBN ?? false)
        return DBNet(root, architecture: arch, backbone: backbone, neck: neck, head: head, inputChannels: inChannels)
    }

    /// The backbone `config` names, with its image channels.
    static func makeBackbone(_ config: BackboneConfig, _ p: Path) throws -> (any DetectionBackbone, inChannels: Int) {
        switch config {
        case .mobileNetV3(let b):
            guard let modelName = MobileNetV3.ModelName(rawValue: b.modelName) else {
                throw ModelError.unknown("MobileNetV3 model_name", b.modelName, known: MobileNetV3.ModelName.allCases.map(\.rawValue))
            }
            let recDefaults = MobileNetV3Config()
            guard b.largeStride == recDefaults.largeStride, b.smallStride == recDefaults.smallStride else {
                throw ModelError(.invalidConfig, "MobileNetV3 large_stride/small_stride are recogniser settings; the det backbone's "
                                 + "strides are fixed (outputs at 4, 8, 16, 32): remove them from the det config")
            }
            let inChannels = b.inChannels ?? 3
            return (try DetMobileNetV3(p, inChannels: inChannels, modelName: modelName, scale: b.scale, disableSE: b.disableSE),
                    inChannels)
        case .ppLCNetV3(let b):
            guard b.det else {
                throw ModelError(.invalidConfig, "PPLCNetV3 in a detector needs `det: true` (the layout with four outputs at "
                                 + "strides 4-32, as PaddleOCR's ch_PP-OCRv4_det.yml); det false is the recogniser's layout")
            }
            let inChannels = b.inChannels ?? 3
            return (try PPLCNetV3(p, inChannels: inChannels, scale: b.scale, det: true), inChannels)
        case .ppLCNetV4(let b):
            guard b.det else {
                throw ModelError(.invalidConfig, "PPLCNetV4 in a detector needs `det: true` (four outputs at strides 4-32); "
                                 + "det false is the recogniser's layout")
            }
            let inChannels = b.inChannels ?? 3
            return (try PPLCNetV4(p, inChannels: inChannels, modelSize: b.modelSize, det: true), inChannels)
        default:
            throw ModelError.unknown("det Backbone name", config.name, known: backbones)
        }
    }
}

/// A detector's backbone: four maps at strides 4, 8, 16 and 32 (finest first) for the FPN neck.
public protocol DetectionBackbone: Module {
    /// The channels of the four maps.
    var featureChannels: [Int] { get }
    /// B x featureChannels[i] x H/2^(i+2) x W/2^(i+2), i = 0...3.
    func features(_ x: Tensor) throws -> [Tensor]
}

extension DetMobileNetV3: DetectionBackbone {
    public var featureChannels: [Int] { outChannels }
    public func features(_ x: Tensor) throws -> [Tensor] { try self(x) }
}

/// PP-OCRv4's det layout (`det: true`); `features(_:)` refuses the rec layout.
extension PPLCNetV3: DetectionBackbone {}
