/// The `Loss` section of a DB detector's config (PaddleOCR's `DBLoss`, `det_mv3_db.yml`):
///
/// ```yaml
/// Loss:
///   name: DBLoss
///   balance_loss: true        # OHEM-balance the shrink-map loss (positives + hardest negatives)
///   main_loss_type: DiceLoss  # shrink-map loss: DiceLoss (PaddleOCR's shipped configs) | BCELoss
///   alpha: 5                  # weight of the shrink-map loss
///   beta: 10                  # weight of the masked L1 loss on the threshold map
///   ohem_ratio: 3             # at most this many negatives per positive pixel
/// ```
/// Every key but `name` is optional; the defaults are PaddleOCR's.
public struct DBLossConfig: Codable, Sendable, Equatable {
    public static let knownMainLossTypes = ["DiceLoss", "BCELoss"]
    /// `name`: only DBLoss.
    public var name: String = "DBLoss"
    /// `balance_loss`: balance the shrink-map loss over positives and the `ohem_ratio` x hardest negatives.
    public var balanceLoss: Bool = true
    /// `main_loss_type`: DiceLoss or BCELoss (per-pixel binary cross-entropy, where OHEM matters).
    public var mainLossType: String = "DiceLoss"
    /// `alpha`: weight of the shrink-map loss.
    public var alpha: Double = 5
    /// `beta`: weight of the threshold-map L1 loss.
    public var beta: Double = 10
    /// `ohem_ratio`: negatives kept per positive by online hard example mining.
    public var ohemRatio: Double = 3
    /// `eps`: keeps every ratio finite when a mask is empty.
    public var eps: Double = 1e-6

    public init(balanceLoss: Bool = true, mainLossType: String = "DiceLoss", alpha: Double = 5, beta: Double = 10,
                ohemRatio: Double = 3, eps: Double = 1e-6) {
        self.balanceLoss = balanceLoss
        self.mainLossType = mainLossType
        self.alpha = alpha
        self.beta = beta
        self.ohemRatio = ohemRatio
        self.eps = eps
    }

    enum CodingKeys: String, CodingKey {
        case name, balanceLoss = "balance_loss", mainLossType = "main_loss_type", alpha, beta, ohemRatio = "ohem_ratio", eps
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DBLossConfig()
        name = try c.decode(String.self, forKey: .name)
        try NeckConfig.check(name, ["DBLoss"], "Loss name", c, .name)
        balanceLoss = try c.decodeIfPresent(Bool.self, forKey: .balanceLoss) ?? d.balanceLoss
        mainLossType = try c.decodeIfPresent(String.self, forKey: .mainLossType) ?? d.mainLossType
        try NeckConfig.check(mainLossType, Self.knownMainLossTypes, "DBLoss main_loss_type", c, .mainLossType)
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? d.alpha
        beta = try c.decodeIfPresent(Double.self, forKey: .beta) ?? d.beta
        ohemRatio = try c.decodeIfPresent(Double.self, forKey: .ohemRatio) ?? d.ohemRatio
        eps = try c.decodeIfPresent(Double.self, forKey: .eps) ?? d.eps
    }
}
