import Crypto
public import Foundation

/// SHA-256 helpers that SigV4 uses for payload and canonical request hashes.
public enum Hashing {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: some DataProtocol) -> String { SHA256.hash(data: bytes).hexString }

    /// The SHA-256 of an empty payload, sent on every body-less request.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
