/// Path arithmetic for names shown to users (`H5Group.path`, `H5Dataset.path`).
/// HDF5 itself resolves the paths we pass; this only keeps the Swift-side names tidy.
enum H5Path {
    /// Absolute, normalised path of `relative` seen from the group at `base` ("/a", "b/c" -> "/a/b/c").
    static func join(_ base: String, _ relative: String) -> String {
        var parts = relative.hasPrefix("/") ? [] : components(base)
        for part in components(relative) {
            switch part {
            case ".": continue
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
