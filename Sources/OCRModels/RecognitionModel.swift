import NN
import Torch

/// Backbone -> SequenceEncoder neck -> CTC head, as PaddleOCR's `BaseModel` for rec. Built by
/// `RecognizerFactory`. Top-level paths: `backbone/...`, `neck/...`, `head/...`.
public final class RecognitionModel: Module, Recognizer {
    public let backbone: any RecognitionBackbone
    public let neck: SequenceEncoder
    public let head: CTCHead

    public let architecture: ArchitectureConfig
    public let inputChannels: Int
    public let inputHeight: Int
    public let fixedInputWidth: Int?
    public var classes: Int { head.classes }
    public var channelsLastInput: Bool

    init(_ p: Path, architecture: ArchitectureConfig, backbone: any RecognitionBackbone, neck: SequenceEncoder,
         head: CTCHead, inputChannels: Int, inputHeight: Int, fixedInputWidth: Int?) {
        self.architecture = architecture
        self.backbone = backbone
        self.neck = neck
        self.head = head
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.fixedInputWidth = fixedInputWidth
        channelsLastInput = backbone.prefersChannelsLast
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let s = x.shape
        guard s.count == 4, s[1] == inputChannels, s[2] == inputHeight, fixedInputWidth.map({ $0 == s[3] }) ?? true,
              outputLength(forWidth: s[3]) > 0 else {
            let w = fixedInputWidth.map(String.init) ?? "W"
            throw ModelError(.invalidInput, "\(architecture.algorithm) recogniser expects B x \(inputChannels) x \(inputHeight) x \(w), got \(s)")
        }
        let input = channelsLastInput && !x.isContiguous(channelsLast: true) ? try x.channelsLast() : x
        // A channels-last B x C x 1 x W map is B, W, C in memory: Im2Seq's B x W x C view needs no copy.
        return try head(neck(backbone(input)))                 // B x T x classes
    }

    public func outputLength(forWidth width: Int) -> Int {
        backbone.outputSize(forInput: (inputHeight, width)).w
    }

    public override var kind: String { "RecognitionModel(\(architecture.algorithm))" }
}
