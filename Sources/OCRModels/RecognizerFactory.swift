import NN
import Torch

/// Builds a recogniser from PaddleOCR's `Architecture` section.
public enum RecognizerFactory {
    /// What `model_type: rec` builds (`ArchitectureConfig`'s lists also name the classifier's).
    static let algorithms = ["CRNN", "SVTR", "SVTR_LCNet"], heads = ["CTCHead"]

    /// - Parameters:
    ///   - arch: the `Architecture` section.
    ///   - classes: output classes including the CTC blank (charset size + 1).
    ///   - inputShape: C, H, W of the training images (PaddleOCR's `image_shape`); W is the width
    ///     SVTR is built for and is otherwise only checked to give at least one time step.
    /// - Throws: `ModelError` naming the unknown name (with the known ones) or the inconsistent setting.
    public static func build(_ arch: ArchitectureConfig, classes: Int, inputShape: [Int]) throws -> any Recognizer {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelError(.invalidConfig, "inputShape must be [C, H, W] with positive sizes, got \(inputShape)")
        }
        guard classes >= 2 else {
            throw ModelError(.invalidConfig, "a CTC recogniser needs at least 2 classes (blank + 1 character), got \(classes)")
        }
        guard ArchitectureConfig.knownModelTypes.contains(arch.modelType) else {
            throw ModelError.unknown("model_type", arch.modelType, known: ArchitectureConfig.knownModelTypes)
        }
        guard arch.modelType == "rec" else {
            throw ModelError(.invalidConfig, "model_type \(arch.modelType) is not a recogniser (rec); ClassifierFactory builds cls models")
        }
        guard algorithms.contains(arch.algorithm) else {
            throw ModelError.unknown("algorithm", arch.algorithm, known: algorithms)
        }
        if let t = arch.transform { throw ModelError.unknown("Transform", t.name, known: []) }
        guard let neckConfig = arch.neck else {
            throw ModelError(.invalidConfig, "CTCHead needs a sequence: add `Neck: {name: SequenceEncoder, encoder_type: reshape}`")
        }
        guard NeckConfig.knownNames.contains(neckConfig.name) else {
            throw ModelError.unknown("Neck name", neckConfig.name, known: NeckConfig.knownNames)
        }
        guard heads.contains(arch.head.name) else {
            throw ModelError.unknown("Head name", arch.head.name, known: heads)
        }
        let (c, h, w) = (inputShape[0], inputShape[1], inputShape[2])
        let root = Path.root

        let backbone: any RecognitionBackbone
        var fixedWidth: Int? = nil
        switch arch.backbone {
        case .mobileNetV3(let b):
            try checkChannels(b.inChannels, c)
            guard let name = MobileNetV3.ModelName(rawValue: b.modelName) else {
                throw ModelError.unknown("MobileNetV3 model_name", b.modelName, known: MobileNetV3.ModelName.allCases.map(\.rawValue))
            }
            backbone = try MobileNetV3(root / "backbone", inChannels: c, modelName: name, scale: b.scale,
                                       largeStride: b.largeStride, smallStride: b.smallStride, disableSE: b.disableSE)
        case .svtrNet(let b):
            try checkChannels(b.inChannels, c)
            if let size = b.imgSize, size != [h, w] {
                throw ModelError(.invalidConfig, "SVTRNet img_size \(size) differs from the input shape's H, W [\(h), \(w)]; "
                                 + "its position embedding fixes the input size, so they must agree")
            }
            backbone = try SVTRNet(root / "backbone", config: b, inChannels: c, imageSize: (h, w))
            fixedWidth = w
        case .ppLCNetV3(let b):
            try checkChannels(b.inChannels, c)
            guard !b.det else { throw ModelError(.invalidConfig, "PPLCNetV3 det: true is the detection layout; a recogniser needs det: false") }
            backbone = try PPLCNetV3(root / "backbone", inChannels: c, scale: b.scale)
        case .ppLCNetV4(let b):
            try checkChannels(b.inChannels, c)
            guard !b.det else { throw ModelError(.invalidConfig, "PPLCNetV4 det: true is the detection layout; a recogniser needs det: false") }
            backbone = try PPLCNetV4(root / "backbone", inChannels: c, modelSize: b.modelSize)
        }
        let out = backbone.outputSize(forInput: (h, w))
        guard out.h == 1, out.w > 0 else {
            throw ModelError(.invalidConfig, "\(arch.backbone.name) turns a \(h) x \(w) input into a \(out.h) x \(out.w) feature map; "
                             + "the sequence neck needs height 1 and width >= 1 (MobileNetV3 rec: H = 32 or 48; "
                             + "model_name small needs small_stride [1, 2, 2, 2] for that, as PaddleOCR's lite configs set)")
        }
        let neck = try SequenceEncoder(root / "neck", inChannels: backbone.outChannels, config: neckConfig)
        let head = try CTCHead(root / "head", inChannels: neck.outChannels, classes: classes,
                               midChannels: arch.head.midChannels, fcDecay: arch.head.fcDecay)
        return RecognitionModel(root, architecture: arch, backbone: backbone, neck: neck, head: head,
                                inputChannels: c, inputHeight: h, fixedInputWidth: fixedWidth)
    }

    private static func checkChannels(_ configured: Int?, _ actual: Int) throws {
        if let configured, configured != actual {
            throw ModelError(.invalidConfig, "Backbone in_channels \(configured) differs from the input shape's \(actual) channels")
        }
    }
}
