public import Foundation

/// Signs HTTP requests with SigV4 `Authorization` headers for one set of credentials and region.
///
/// The derived signing key is cached per day, so signing costs two HMACs and two hashes per request.
public final class RequestSigner: Sendable {
    public let credentials: Credentials
    public let region: String
    public let service: String
    private let cache: KeyCache

    /// Creates a signer for `credentials` in `region`.
    public init(credentials: Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.cache = KeyCache()
    }

    /// The signing key for the day of `date`, derived once a day.
    public func signingKey(for date: AmzDate) -> SigningKey {
        let scope = CredentialScope(date: date, region: region, service: service)
        return cache.key(for: scope) { SigningKey(secretAccessKey: credentials.secretAccessKey, scope: scope) }
    }

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256`, the session token if any,
    /// and `Authorization`. `headers` must include `host` and any other header to be signed.
    public func sign(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], payloadHash: String, date: Date = Date()
    ) -> [(name: String, value: String)] {
        let amzDate = AmzDate(date)
        var added: [(name: String, value: String)] = [
            ("x-amz-date", amzDate.timestamp), ("x-amz-content-sha256", payloadHash),
        ]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        let canonical = CanonicalRequest(
            method: method, path: path, query: query, headers: headers + added, payloadHash: payloadHash)
        let key = signingKey(for: amzDate)
        let signature = key.signature(for: canonical.stringToSign(date: amzDate, scope: key.scope))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(key.scope), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }
}

extension RequestSigner {
    /// The query that presigns a request (SigV4 query authentication, as `aws s3 presign` makes):
    /// anyone holding the URL may make this one request until `expiresIn` seconds after `date`.
    /// `path` is the raw request path; only `host` is signed; the payload is not.
    public func presignedQuery(
        method: String, host: String, path: String, expiresIn: Int, date: Date = Date()
    ) -> [(name: String, value: String)] {
        let amzDate = AmzDate(date)
        let key = signingKey(for: amzDate)
        var query: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", "\(credentials.accessKeyID)/\(key.scope)"),
            ("X-Amz-Date", amzDate.timestamp), ("X-Amz-Expires", String(expiresIn)), ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { query.append(("X-Amz-Security-Token", token)) }
        let canonical = CanonicalRequest(
            method: method, path: path, query: query, headers: [("host", host)], payloadHash: "UNSIGNED-PAYLOAD")
        let signature = key.signature(for: canonical.stringToSign(date: amzDate, scope: key.scope))
        return query + [("X-Amz-Signature", signature)]
    }
}
