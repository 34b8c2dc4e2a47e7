/// Hexadecimal digits: of bytes (digests, signatures, `%XX` and `\uXXXX` escapes) and of numbers
/// (ids, segment names). The one place the package writes them.
package enum Hex {
    /// The digit of `nibble` (0 to 15).
    @inlinable
    package static func digit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")) + nibble - 10
    }

    /// Appends the two digits of `byte`.
    @inlinable
    package static func append(_ byte: UInt8, to out: inout [UInt8], uppercase: Bool = false) {
        out.append(digit(byte >> 4, uppercase: uppercase))
        out.append(digit(byte & 0x0F, uppercase: uppercase))
    }

    /// `value` in lower-case hex, zero-padded to `width` digits (more when it needs them).
    package static func padded(_ value: UInt64, width: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal digits of the bytes.
    public var hexString: String {
        var out: [UInt8] = []
        out.reserveCapacity(Swift.max(64, underestimatedCount * 2))
        for byte in self { Hex.append(byte, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}
