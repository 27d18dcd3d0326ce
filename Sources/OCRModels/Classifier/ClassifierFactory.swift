import NN
import Torch

/// Builds the text-line angle classifier from PaddleOCR's `Architecture` section with
/// `model_type: cls` (`configs/cls/cls_mv3.yml`; `ArchitectureConfig.clsMobileNetV3`).
public enum ClassifierFactory {
    /// - Parameters:
    ///   - arch: the `Architecture` section: model_type cls, algorithm CLS, a MobileNetV3
    ///     backbone, no Transform, no Neck, `ClsHead` with `class_dim` >= 2.
    ///   - inputShape: C, H, W of the training images (`ClsResizeImg.image_shape`, PaddleOCR's [3, 48, 192]).
    /// - Throws: `ModelError` naming the setting and what would be accepted.
    public static func build(_ arch: ArchitectureConfig, inputShape: [Int]) throws -> AngleClassifier {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelError(.invalidConfig, "inputShape must be [C, H, W] with positive sizes, got \(inputShape)")
        }
        guard arch.modelType == "cls" else {
            throw ModelError(.invalidConfig, "ClassifierFactory builds model_type cls, got '\(arch.modelType)' (RecognizerFactory builds rec)")
        }
        guard arch.algorithm == "CLS" else { throw ModelError.unknown("cls algorithm", arch.algorithm, known: ["CLS"]) }
        if let t = arch.transform { throw ModelError.unknown("Transform", t.name, known: []) }
        if let neck = arch.neck {
            throw ModelError(.invalidConfig, "cls takes no Neck (ClsHead pools the feature map itself), got \(neck.name); "
                             + "leave `Neck:` empty as PaddleOCR's cls_mv3.yml does")
        }
        guard arch.head.name == "ClsHead" else { throw ModelError.unknown("cls Head name", arch.head.name, known: ["ClsHead"]) }
        guard let classes = arch.head.classDim, classes >= 2 else {
            throw ModelError(.invalidConfig, "ClsHead class_dim must be at least 2, got \(arch.head.classDim.map(String.init) ?? "none")")
        }
        guard case .mobileNetV3(let b) = arch.backbone else {
            throw ModelError.unknown("cls Backbone name", arch.backbone.name, known: ["MobileNetV3"])
        }
        let (c, h, w) = (inputShape[0], inputShape[1], inputShape[2])
        if let configured = b.inChannels, configured != c {
            throw ModelError(.invalidConfig, "Backbone in_channels \(configured) differs from the input shape's \(c) channels")
        }
        guard let name = MobileNetV3.ModelName(rawValue: b.modelName) else {
            throw ModelError.unknown("MobileNetV3 model_name", b.modelName, known: MobileNetV3.ModelName.allCases.map(\.rawValue))
        }
        let backbone = try MobileNetV3(Path.root / "backbone", inChannels: c, modelName: name, scale: b.scale,
                                       largeStride: b.largeStride, smallStride: b.smallStride, disableSE: b.disableSE)
        // The head pools any map size, but an empty one has nothing to pool.
        let out = backbone.outputSize(forInput: (h, w))
        guard out.h > 0, out.w > 0 else {
            throw ModelError(.invalidConfig, "MobileNetV3 turns a \(h) x \(w) input into a \(out.h) x \(out.w) feature map; "
                             + "the rec strides shrink height 32x (PaddleOCR's cls input is 48 x 192)")
        }
        let head = try ClsHead(Path.root / "head", inChannels: backbone.outChannels, classes: classes)
        return AngleClassifier(Path.root, architecture: arch, backbone: backbone, head: head, inputShape: inputShape)
    }
}
