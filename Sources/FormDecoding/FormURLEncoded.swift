import SigV4

/// `application/x-www-form-urlencoded` bodies, as browsers send a plain `<form method="post">`.
public enum FormURLEncoded {
    /// Decodes `name=value&…` pairs in order; nil when an escape is malformed or not UTF-8.
    public static func decode(_ body: some StringProtocol) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for part in body.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = URIEncoding.decode(halves[0], plusAsSpace: true),
                let value = URIEncoding.decode(halves.count > 1 ? halves[1] : "", plusAsSpace: true)
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}
