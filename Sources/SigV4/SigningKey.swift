import Crypto
import Foundation

/// The SigV4 signing key: four chained HMAC-SHA256 steps from the secret, valid for one scope.
public struct SigningKey: Sendable {
    /// The derived key bytes.
    public let bytes: [UInt8]
    /// The scope the key was derived for.
    public let scope: CredentialScope

    /// Derives the key for `scope` from `secretAccessKey`.
    public init(secretAccessKey: String, scope: CredentialScope) {
        let kSecret = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        let kDate = HMAC<SHA256>.authenticationCode(for: Array(scope.dateStamp.utf8), using: kSecret)
        let kRegion = HMAC<SHA256>.authenticationCode(for: Array(scope.region.utf8), using: SymmetricKey(data: kDate))
        let kService = HMAC<SHA256>.authenticationCode(
            for: Array(scope.service.utf8), using: SymmetricKey(data: kRegion))
        let kSigning = HMAC<SHA256>.authenticationCode(
            for: Array("aws4_request".utf8), using: SymmetricKey(data: kService))
        self.bytes = Array(kSigning)
        self.scope = scope
    }

    /// Lower-case hex HMAC-SHA256 of `text` with this key: a SigV4 signature.
    public func signature(for text: String) -> String {
        var text = text
        return text.withUTF8 { HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(data: bytes)).hexString }
    }

    /// The key's bytes in lower-case hex (for tests against published vectors).
    public var hexString: String { bytes.hexString }
}
