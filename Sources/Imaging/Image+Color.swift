internal import CVision

extension Image {
    /// The image in another colour order (gray uses BT.601: 0.299 R + 0.587 G + 0.114 B; adding
    /// alpha sets it to 255). Returns `self` when the order is already `target`.
    public func converted(to target: ColorOrder) throws -> Image {
        guard let code = colorOrder.conversion(to: target) else { return self }
        return try withView { src in
            try Image.call(order: target) { out, err in cv_color_convert(&out, src, code, &err) }
        }
    }
}
