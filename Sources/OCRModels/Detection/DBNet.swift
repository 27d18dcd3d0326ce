import NN
import Torch

/// A DB text detector as PaddleOCR's `BaseModel` for `model_type: det, algorithm: DB`:
/// a `DetectionBackbone` (detection MobileNetV3, or PP-OCRv4's PPLCNetV3 det) -> DBFPN or RSEFPN
/// -> DBHead. Built by `DetectorFactory`.
/// Top-level paths: `backbone/...`, `neck/...`, `head/...`.
///
/// Input: B x C x H x W with H and W multiples of 32 (the pyramid's coarsest stride), normalised
/// as the det transforms leave it. Output maps have the input's H x W.
public final class DBNet: Module {
    public let backbone: any DetectionBackbone
    public let neck: any DetectionNeck
    public let head: DBHead

    public let architecture: ArchitectureConfig
    public let inputChannels: Int

    init(_ p: Path, architecture: ArchitectureConfig, backbone: any DetectionBackbone, neck: any DetectionNeck, head: DBHead,
         inputChannels: Int) {
        self.architecture = architecture
        self.backbone = backbone
        self.neck = neck
        self.head = head
        self.inputChannels = inputChannels
        super.init(p)
    }

    /// The probability (shrink) map P, B x 1 x H x W: the inference output, in train or eval mode
    /// alike (the threshold branch is not run).
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try head.shrink(features(x))
    }

    /// P, T and B = sigmoid(k (P - T)), each B x 1 x H x W, for `DBLoss`. BatchNorm follows the
    /// module's train/eval mode as usual.
    public func trainOutputs(_ x: Tensor) throws -> DBOutputs {
        try head.trainOutputs(features(x))
    }

    /// The fused pyramid, B x neck.outChannels x H/4 x W/4.
    public func features(_ x: Tensor) throws -> Tensor {
        let s = x.shape
        guard s.count == 4, s[1] == inputChannels, s[2] > 0, s[3] > 0, s[2] % 32 == 0, s[3] % 32 == 0 else {
            throw ModelError(.invalidInput, "DB detector expects B x \(inputChannels) x H x W with H and W positive "
                             + "multiples of 32 (resize or pad the image, as PaddleOCR's DetResizeForTest), got \(s)")
        }
        return try neck(backbone.features(x))
    }

    public override var kind: String { "DBNet(\(architecture.backbone.name), \(neck.kind))" }
}
