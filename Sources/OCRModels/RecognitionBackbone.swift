import NN
import Torch

/// A recognition backbone: B x C x H x W image -> B x `outChannels` x h x w feature map, where
/// the sequence neck needs h == 1.
public protocol RecognitionBackbone: UnaryLayer {
    var outChannels: Int { get }
    /// The feature map's (h, w) for an input of (h, w) pixels.
    func outputSize(forInput size: (h: Int, w: Int)) -> (h: Int, w: Int)
    /// Whether its convolutions train faster on channels-last (NHWC) input with LibTorch's CPU
    /// kernels (measured: MobileNetV3's depthwise convs yes, SVTR's two patch convs no gain).
    var prefersChannelsLast: Bool { get }
}
