/// An attribute's value, for code that does not know the type in advance (dumping a file's
/// metadata, say). Integers are read as `Int` and floats as `Double` whatever their stored width.
public enum H5AttributeValue: Equatable, Sendable {
    case int(Int)
    case double(Double)
    case string(String)
    case ints([Int])
    case doubles([Double])
    case strings([String])
}
