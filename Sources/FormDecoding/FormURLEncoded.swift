import SigV4

/// `application/x-www-form-urlencoded` bodies, as browsers send a plain `<form method="post">`.
public enum FormURLEncoded {
    /// Whether a `Content-Type` names this format: the media type before any `;` parameters, with
    /// spaces and tabs around it ignored, matched without regard to ASCII case (RFC 9110 §8.3.1).
    public static func isContentType(_ contentType: String) -> Bool {
        let essence: StaticString = "application/x-www-form-urlencoded"
        var contentType = contentType
        return contentType.withUTF8 { bytes in
            func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
            var start = 0
            while start < end, isSpace(bytes[start]) { start += 1 }
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
            guard end - start == essence.utf8CodeUnitCount else { return false }
            for offset in 0..<essence.utf8CodeUnitCount {
                let byte = bytes[start + offset]
                let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                guard lower == essence.utf8Start[offset] else { return false }
            }
            return true
        }
    }

    /// Decodes `name=value&…` pairs in order; nil when an escape is malformed or not UTF-8.
    ///
    /// Splits on the bytes `&` and `=`, never on characters: a grapheme cluster may swallow a
    /// separator (U+070F, a "prepend" mark, joins the `&` after it), and found by the fuzzer, a
    /// character-wise split then reads a different form than the browser sent.
    public static func decode(_ body: some StringProtocol) -> [(name: String, value: String)]? {
        decode(bytes: Array(body.utf8))
    }

    /// `decode` straight from the body's bytes (no string of the whole body first); raw bytes that
    /// are not UTF-8 make it nil, as malformed escapes do.
    public static func decode(bytes: some Collection<UInt8>) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let halves = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = URIEncoding.decode(bytes: halves[0], plusAsSpace: true),
                let value = halves.count > 1 ? URIEncoding.decode(bytes: halves[1], plusAsSpace: true) : ""
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}
