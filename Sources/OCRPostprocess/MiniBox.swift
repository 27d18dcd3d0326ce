import Imaging

/// The min-area rectangle around some points, its corners in PaddleOCR's `get_mini_boxes`
/// order, and its shorter side (the size checks use it).
struct MiniBox {
    /// Corners: of the two left-most (by x), the upper first; then of the two right-most the
    /// upper, then the lower; then the lower left one - TL, TR, BR, BL for an upright box.
    var corners: [Point2f]
    var shortSide: Float

    init(around points: [Point2f]) throws {
        let rect = try minAreaRect(points)
        let p = try boxPoints(rect)
        // Sorted by x only, equal x keeping cv2.boxPoints' order (Python's sort is stable).
        let s = p.indices.sorted { p[$0].x != p[$1].x ? p[$0].x < p[$1].x : $0 < $1 }.map { p[$0] }
        let (first, fourth) = s[1].y > s[0].y ? (s[0], s[1]) : (s[1], s[0])
        let (second, third) = s[3].y > s[2].y ? (s[2], s[3]) : (s[3], s[2])
        corners = [first, second, third, fourth]
        shortSide = min(rect.width, rect.height)
    }
}
