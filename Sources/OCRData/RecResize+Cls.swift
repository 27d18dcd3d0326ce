extension RecResize {
    /// PaddleOCR's `ClsResizeImg`, which calls the same `resize_norm_img` as `RecResizeImg`: height H
    /// keeping the aspect ratio, width `min(ceil(H * w / h), W)`, `(x / 255 - 0.5) / 0.5`, padded
    /// right with 0 to W. That is `RecResize` with padding and a fixed width; the classifier
    /// needs the fixed width because its head averages over the padded map.
    public static func clsResizeImg(imageShape: [Int] = [3, 48, 192]) -> RecResize {
        RecResize(imageShape: imageShape, padding: true, dynamicWidth: false)
    }
}
