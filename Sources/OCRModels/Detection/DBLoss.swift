import Torch

/// The DB loss terms, each already weighted, for logging; `total` is what training minimises.
public struct DBLossParts {
    /// alpha x (balanced) loss on the probability map P against the shrunk text map.
    public let shrink: Tensor
    /// beta x masked L1 between the threshold map T and its label, inside the border mask.
    public let threshold: Tensor
    /// Dice loss on the approximate binary map B against the shrunk text map.
    public let binary: Tensor
    /// shrink + threshold + binary.
    public let total: Tensor

    public init(shrink: Tensor, threshold: Tensor, binary: Tensor, total: Tensor) {
        self.shrink = shrink
        self.threshold = threshold
        self.binary = binary
        self.total = total
    }
}

/// PaddleOCR's `DBLoss` (`ppocr/losses/det_db_loss.py`): alpha x BalanceLoss(P) + beta x
/// MaskL1Loss(T) + DiceLoss(B), all with the label maps the det data pipeline makes (shrink map
/// and mask, threshold map and mask). Finite on crops with no text: the shrink term is 0, the
/// binary Dice term 1, the threshold term 0 when its mask is empty.
public struct DBLoss {
    public let config: DBLossConfig
    let shrinkLoss: BalanceLoss
    let thresholdLoss: MaskL1Loss
    let binaryLoss: DiceLoss

    public init(config: DBLossConfig = DBLossConfig()) throws {
        guard let main = BalanceLoss.MainLoss(rawValue: config.mainLossType) else {
            throw ModelError.unknown("DBLoss main_loss_type", config.mainLossType, known: DBLossConfig.knownMainLossTypes)
        }
        guard config.alpha >= 0, config.beta >= 0, config.ohemRatio > 0, config.eps > 0 else {
            throw ModelError(.invalidConfig, "DBLoss needs alpha, beta >= 0 and ohem_ratio, eps > 0, got alpha \(config.alpha), "
                             + "beta \(config.beta), ohem_ratio \(config.ohemRatio), eps \(config.eps)")
        }
        self.config = config
        shrinkLoss = BalanceLoss(main: main, balance: config.balanceLoss, negativeRatio: config.ohemRatio, eps: config.eps)
        thresholdLoss = MaskL1Loss(eps: config.eps)
        binaryLoss = DiceLoss(eps: config.eps)
    }

    /// - Parameters:
    ///   - out: `DBNet.trainOutputs`, each B x 1 x H x W.
    ///   - shrinkMap, shrinkMask, thresholdMap, thresholdMask: the labels, B x H x W or
    ///     B x 1 x H x W (PaddleOCR's MakeShrinkMap / MakeBorderMap outputs), float.
    public func callAsFunction(_ out: DBOutputs, shrinkMap: Tensor, shrinkMask: Tensor, thresholdMap: Tensor,
                               thresholdMask: Tensor) throws -> DBLossParts {
        let shape = out.shrink.shape
        func label(_ t: Tensor, _ name: String) throws -> Tensor {
            let s = t.shape
            guard s == shape || (s.count == 3 && shape.count == 4 && shape[1] == 1 && s == [shape[0], shape[2], shape[3]]) else {
                throw ModelError(.invalidInput, "DBLoss \(name) has shape \(s); the predicted maps are \(shape)")
            }
            let r = s == shape ? t : try t.unsqueeze(1)                 // B x H x W -> B x 1 x H x W
            return r.dtype == out.shrink.dtype ? r : try r.to(out.shrink.dtype)
        }
        let gt = try label(shrinkMap, "shrink_map"), mask = try label(shrinkMask, "shrink_mask")
        let shrink = try shrinkLoss(out.shrink, gt, mask) * config.alpha
        let threshold = try thresholdLoss(out.threshold, label(thresholdMap, "threshold_map"),
                                          label(thresholdMask, "threshold_mask")) * config.beta
        let binary = try binaryLoss(out.binary, gt, mask)
        return DBLossParts(shrink: shrink, threshold: threshold, binary: binary, total: try shrink + threshold + binary)
    }
}
