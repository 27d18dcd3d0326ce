import NN
import Torch

/// PaddleOCR's text-line angle classifier (`model_type: cls`, `configs/cls/cls_mv3.yml`): the
/// rec MobileNetV3 backbone, then `ClsHead`. It tells upright lines ("0") from upside-down ones
/// ("180"), so a pipeline can turn a line before recognising it. Built by `ClassifierFactory`.
///
/// Input: B x C x H x W images normalised as `RecResize` does at `imageShape` (PaddleOCR's
/// `ClsResizeImg`: keep the aspect ratio, pad right to W), with exactly the configured C, H, W:
/// the head averages over the padded width, so another width is another function.
/// Output: **logits** B x `classes` in both modes; `probabilities(_:)` is the eval-time softmax
/// PaddleOCR's head applies. Paths: `backbone/...`, `head/fc/...`.
public final class AngleClassifier: Module, UnaryLayer {
    public let backbone: MobileNetV3
    public let head: ClsHead
    /// The resolved architecture it was built from (for checkpoints and exports).
    public let architecture: ArchitectureConfig
    public let inputChannels: Int, inputHeight: Int, inputWidth: Int
    public var classes: Int { head.classes }
    /// Convert the input to channels-last before the backbone (a layout choice; MobileNetV3's
    /// depthwise convs train faster so on CPU, see `RecognitionBackbone.prefersChannelsLast`).
    public var channelsLastInput: Bool

    init(_ p: Path, architecture: ArchitectureConfig, backbone: MobileNetV3, head: ClsHead, inputShape: [Int]) {
        self.architecture = architecture
        self.backbone = backbone
        self.head = head
        (inputChannels, inputHeight, inputWidth) = (inputShape[0], inputShape[1], inputShape[2])
        channelsLastInput = backbone.prefersChannelsLast
        super.init(p)
    }

    /// [C, H, W].
    public var inputShape: [Int] { [inputChannels, inputHeight, inputWidth] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let s = x.shape
        guard s.count == 4, Array(s[1...]) == inputShape else {
            throw ModelError(.invalidInput, "angle classifier expects B x \(inputChannels) x \(inputHeight) x \(inputWidth), got \(s)")
        }
        let input = channelsLastInput && !x.isContiguous(channelsLast: true) ? try x.channelsLast() : x
        return try head(backbone(input))                       // B x classes
    }

    /// Softmax over the classes: what PaddleOCR's `ClsHead` returns in eval mode.
    public func probabilities(_ x: Tensor) throws -> Tensor { try self(x).softmax(dim: 1) }

    public override var kind: String { "AngleClassifier(\(architecture.algorithm))" }
}
