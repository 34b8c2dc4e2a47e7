import Crypto
public import Foundation

/// The credential scope `date/region/service/aws4_request` that a SigV4 signature is bound to.
public struct CredentialScope: Sendable, Hashable, CustomStringConvertible {
    /// `yyyyMMdd`.
    public let dateStamp: String
    public let region: String
    public let service: String

    /// Creates a scope for the day `date` falls on (UTC).
    public init(date: AmzDate, region: String, service: String = "s3") {
        self.init(dateStamp: date.dateStamp, region: region, service: service)
    }

    /// Creates a scope from its parts as they appear in a credential string.
    public init(dateStamp: String, region: String, service: String = "s3") {
        self.dateStamp = dateStamp
        self.region = region
        self.service = service
    }

    public var description: String { "\(dateStamp)/\(region)/\(service)/aws4_request" }
}

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

/// SHA-256 helpers that SigV4 uses for payload and canonical request hashes.
public enum Hashing {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: some DataProtocol) -> String { SHA256.hash(data: bytes).hexString }

    /// The SHA-256 of an empty payload, sent on every body-less request.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
