import SigV4

/// `application/x-www-form-urlencoded` bodies, as browsers send a plain `<form method="post">`.
public enum FormURLEncoded {
    /// Whether a `Content-Type` names this format: the media type before any `;` parameters, with
    /// spaces and tabs around it ignored, matched without regard to ASCII case (RFC 9110 §8.3.1).
    public static func isContentType(_ contentType: String) -> Bool {
        let essence = "application/x-www-form-urlencoded".utf8
        var value = Substring(contentType).utf8
        if let semicolon = value.firstIndex(of: UInt8(ascii: ";")) { value = value[..<semicolon] }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let trimmed = value.drop(while: isSpace).reversed().drop(while: isSpace)
        return trimmed.count == essence.count
            && zip(trimmed.reversed(), essence).allSatisfy { byte, expected in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == expected
            }
    }

    /// Decodes `name=value&…` pairs in order; nil when an escape is malformed or not UTF-8.
    ///
    /// Splits on the bytes `&` and `=`, never on characters: a grapheme cluster may swallow a
    /// separator (U+070F, a "prepend" mark, joins the `&` after it), and found by the fuzzer, a
    /// character-wise split then reads a different form than the browser sent.
    public static func decode(_ body: some StringProtocol) -> [(name: String, value: String)]? {
        let bytes = Array(body.utf8)
        var pairs: [(name: String, value: String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let halves = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: halves[0], as: UTF8.self)
            let value = halves.count > 1 ? String(decoding: halves[1], as: UTF8.self) : ""
            guard let name = URIEncoding.decode(name, plusAsSpace: true),
                let value = URIEncoding.decode(value, plusAsSpace: true)
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}
