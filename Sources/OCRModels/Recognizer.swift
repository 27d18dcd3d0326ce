import NN
import Torch

/// A text-line recogniser trained with CTC.
///
/// Input: B x C x H x W images, normalised as the data pipeline does (PaddleOCR: (x/255 - 0.5)/0.5),
/// with H = `inputHeight` and, where the model has one, W = `fixedInputWidth`.
/// Output: **logits** B x T x `classes` (no softmax; class 0 is the CTC blank), T = `outputLength(forWidth: W)`.
/// For CTC take `logSoftmax(dim: 2)` and permute to T x B x C.
///
/// Training and evaluation behaviour (BatchNorm statistics, dropout, stochastic depth) follow
/// `train()` / `eval()`.
public protocol Recognizer: Module {
    func callAsFunction(_ x: Tensor) throws -> Tensor
    /// Image channels (3 for PaddleOCR's BGR input).
    var inputChannels: Int { get }
    var inputHeight: Int { get }
    /// The only width the model accepts, or nil when any width works (CRNN). SVTR's absolute
    /// position embedding fixes it.
    var fixedInputWidth: Int? { get }
    /// T, the length of the output sequence, for an input `width` pixels wide.
    func outputLength(forWidth width: Int) -> Int
    /// Output classes including the blank.
    var classes: Int { get }
    /// Convert the input to channels-last (NHWC) before the backbone: a layout choice, the
    /// result is the same. Defaults to what trains fastest for the backbone on CPU.
    var channelsLastInput: Bool { get set }
    /// The resolved architecture it was built from (for checkpoints and exports).
    var architecture: ArchitectureConfig { get }
}
