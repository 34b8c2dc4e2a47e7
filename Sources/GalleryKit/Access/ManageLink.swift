public import Foundation

/// The uploader's own link to remove one photo: the upload's key and an expiry, signed. Held by
/// whoever got the presign answer; valid for `lifetime` after the upload was presigned. Pure.
public struct ManageLink: Sendable, Hashable {
    public var key: String
    public var expiresAt: Date

    /// How long a manage link works.
    public static let lifetime: TimeInterval = 24 * 3600
    static let purpose = "manage"

    public init(key: String, expiresAt: Date) {
        self.key = key
        self.expiresAt = expiresAt
    }

    /// The link's query: `key`, `expires` (Unix seconds) and `signature`.
    public func query(signer: LinkSigner) -> [(name: String, value: String)] {
        let expiry = String(Int(expiresAt.timeIntervalSince1970))
        return [("key", key), ("expires", expiry), ("signature", signer.signature(Self.purpose, [key, expiry]))]
    }

    /// The link under `publicURL` (`<publicURL>/manage?key=…&expires=…&signature=…`).
    public func url(publicURL: String, signer: LinkSigner) -> String {
        var components = URLComponents()
        components.queryItems = query(signer: signer).map { URLQueryItem(name: $0.name, value: $0.value) }
        // `+` is left alone by URLComponents but read as a space by form decoders.
        let query = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        return publicURL + "/manage?" + query
    }

    /// The link in `key`, `expires` and `signature`, when it is signed and not expired at `now`.
    public static func verify(
        key: String?, expires: String?, signature: String?, signer: LinkSigner, now: Date
    ) throws(Invite.Refusal) -> ManageLink {
        guard let key, let expires, let signature, let expiry = Int(expires), expires.utf8.count <= 12 else {
            throw .malformed
        }
        guard signer.verify(signature, purpose, [key, expires]) else { throw .forged }
        guard Double(expiry) > now.timeIntervalSince1970 else { throw .expired }
        return ManageLink(key: key, expiresAt: Date(timeIntervalSince1970: Double(expiry)))
    }
}
