/// Escaping for text placed in XML or HTML (element content and quoted attributes).
public enum MarkupEscaping {
    /// `&`, `<`, `>`, `"` and `'` as entities.
    ///
    /// Works on UTF-8 bytes (the five characters are ASCII and never part of a multi-byte sequence),
    /// and hands back the text itself when there is nothing to escape, the common case.
    public static func escape(_ text: String) -> String {
        var text = text
        // A tight loop over contiguous bytes: most values (signatures, policies, keys) need no escaping.
        guard text.withUTF8({ $0.contains(where: isSpecial) }) else { return text }
        let utf8 = text.utf8
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
