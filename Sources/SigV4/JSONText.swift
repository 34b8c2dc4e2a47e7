/// JSON string literals, written byte by byte: the one place the package escapes JSON text by hand
/// (where the exact bytes matter; everything else goes through `JSONEncoder`).
package enum JSONText {
    /// As Python's `json.dumps` with `ensure_ascii=True` writes it: what botocore signs in a POST
    /// policy, so that the same policy gives byte-identical base64 and signatures.
    package static func appendASCII(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Printable ASCII other than `"` and `\` stands for itself: copy the bytes as they are.
        var text = text
        let plain = text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain { return out.append(UInt8(ascii: "\"")) }
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += #"\""#.utf8
            case 0x5C: out += #"\\"#.utf8
            case 0x0A: out += #"\n"#.utf8
            case 0x0D: out += #"\r"#.utf8
            case 0x09: out += #"\t"#.utf8
            case 0x08: out += #"\b"#.utf8
            case 0x0C: out += #"\f"#.utf8
            case 0x20..<0x7F: out.append(UInt8(unit))
            default:
                out += #"\u"#.utf8
                Hex.append(UInt8(unit >> 8), to: &out)
                Hex.append(UInt8(unit & 0xFF), to: &out)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Quotes, backslashes and control characters escaped, the rest as UTF-8: the manifest's files.
    package static func appendUTF8(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                Hex.append(byte, to: &out)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
