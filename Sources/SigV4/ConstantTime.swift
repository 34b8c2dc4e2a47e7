/// Comparisons of secrets (signatures, tokens) that take the same time wherever the inputs differ.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` are the same bytes, without an early exit on the first difference.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        // The whole length difference: cut to a byte, a secret followed by 256 NULs compared equal.
        var difference = UInt(bitPattern: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= UInt((index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0))
        }
        return difference == 0
    }
}
