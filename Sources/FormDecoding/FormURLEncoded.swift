import SigV4

/// `application/x-www-form-urlencoded` bodies, as browsers send a plain `<form method="post">`.
public enum FormURLEncoded {
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
