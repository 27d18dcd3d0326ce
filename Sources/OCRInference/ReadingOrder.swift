import OCRCore

/// Reading order for detected boxes - PaddleOCR's `sorted_boxes` (tools/infer/predict_system.py,
/// copied by RapidOCR): sort by the first corner's (y, x), then walk each box back past earlier
/// boxes whose first corner lies less than `lineTolerance` px higher and further right, so boxes
/// on one line read left to right even when their tops differ by a few pixels.
public enum ReadingOrder {
    /// PaddleOCR's 10 px.
    public static let lineTolerance = 10.0

    /// The indices of `boxes` in reading order, by each box's first point (TL for ordered quads).
    public static func sorted(_ boxes: [Polygon], lineTolerance: Double = ReadingOrder.lineTolerance) -> [Int] {
        let first = boxes.map { $0.points.first ?? Point(0, 0) }
        // Python's sorted is stable: ties keep input order.
        var order = boxes.indices.sorted { a, b in
            let (pa, pb) = (first[a], first[b])
            if pa.y != pb.y { return pa.y < pb.y }
            if pa.x != pb.x { return pa.x < pb.x }
            return a < b
        }
        guard order.count > 1 else { return order }
        for i in 0..<(order.count - 1) {
            var j = i
            while j >= 0 {
                let (upper, lower) = (first[order[j]], first[order[j + 1]])
                guard abs(lower.y - upper.y) < lineTolerance, lower.x < upper.x else { break }
                order.swapAt(j, j + 1)
                j -= 1
            }
        }
        return order
    }
}
