/// The SigV4 canonical form of an HTTP request: what a header signature is computed over.
public struct CanonicalRequest: Sendable, Hashable {
    public let method: String
    /// The URI-encoded absolute path, as it goes into the canonical request.
    public let canonicalURI: String
    /// Sorted, URI-encoded `name=value` pairs joined with `&`.
    public let canonicalQuery: String
    /// Header names (lower-case) with trimmed values, sorted by name.
    public let headers: [(name: String, value: String)]
    /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    public let payloadHash: String

    /// Builds the canonical request for `method` on the raw (not yet encoded) object `path`,
    /// with raw `query` items and every header that is to be signed.
    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], payloadHash: String
    ) {
        self.method = method
        self.canonicalURI = path.isEmpty ? "/" : URIEncoding.encode(path, keepSlash: true)
        self.canonicalQuery =
            query
            .map { (URIEncoding.encode($0.name), URIEncoding.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            merged[name.lowercased(), default: []].append(Self.normalise(value))
        }
        self.headers = merged.map { ($0.key, $0.value.joined(separator: ",")) }.sorted { $0.name < $1.name }
        self.payloadHash = payloadHash
    }

    /// `host;range;x-amz-date`: the names of the signed headers.
    public var signedHeaders: String { headers.map(\.name).joined(separator: ";") }

    /// The canonical request text.
    public var text: String {
        var lines = [method, canonicalURI, canonicalQuery]
        lines += headers.map { "\($0.name):\($0.value)" }
        lines += ["", signedHeaders, payloadHash]
        return lines.joined(separator: "\n")
    }

    /// The string to sign for this request at `date` in `scope`.
    public func stringToSign(date: AmzDate, scope: CredentialScope) -> String {
        "AWS4-HMAC-SHA256\n\(date.timestamp)\n\(scope)\n\(Hashing.sha256Hex(Array(text.utf8)))"
    }

    public static func == (lhs: CanonicalRequest, rhs: CanonicalRequest) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// Trims and folds runs of spaces, as SigV4 canonical headers require.
    private static func normalise(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            .trimmingCharacters(in: " \t")
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
