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

    init(_ p: Path, architecture: ArchitectureConfig, backbone: any RecognitionBackbone, neck: SequenceEncoder,
         head: CTCHead, inputChannels: Int, inputHeight: Int, fixedInputWidth: Int?) {
        self.architecture = architecture
        self.backbone = backbone
        self.neck = neck
        self.head = head
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.fixedInputWidth = fixedInputWidth
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let s = x.shape
        guard s.count == 4, s[1] == inputChannels, s[2] == inputHeight, fixedInputWidth.map({ $0 == s[3] }) ?? true,
              outputLength(forWidth: s[3]) > 0 else {
            let w = fixedInputWidth.map(String.init) ?? "W"
            throw ModelError(.invalidInput, "\(architecture.algorithm) recogniser expects B x \(inputChannels) x \(inputHeight) x \(w), got \(s)")
        }
        return try head(neck(backbone(x)))                     // B x T x classes
    }

    public func outputLength(forWidth width: Int) -> Int {
        backbone.outputSize(forInput: (inputHeight, width)).w
    }

    public override var kind: String { "RecognitionModel(\(architecture.algorithm))" }
}
