internal import CVision

extension Image {
    /// The contours of the non-zero pixels of a 1-channel map (e.g. a thresholded DB probability
    /// map). The image is not modified.
    public func findContours(retrieval: ContourRetrieval = .list,
                             approximation: ContourApproximation = .simple) throws -> [[Point2i]] {
        var out = cv_contours()
        var err = cv_error()
        try ImagingError.check(withView { cv_find_contours(&out, $0, retrieval.c, approximation.c, &err) }, &err)
        defer { cv_contours_free(&out) }
        var contours: [[Point2i]] = []
        contours.reserveCapacity(Int(out.count))
        var start = 0
        for i in 0..<Int(out.count) {
            let n = Int(out.lengths[i])
            contours.append((start..<start + n).map { Point2i(x: Int(out.points[$0].x), y: Int(out.points[$0].y)) })
            start += n
        }
        return contours
    }
}
