public import Foundation
public import SigV4

/// Credentials with the time they stop working (nil: they do not expire).
public struct ExpiringCredentials: Sendable, Hashable {
    public let credentials: Credentials
    public let expiration: Date?
    /// Where they came from, for logs (`environment`, `profile default`, `instance metadata`…).
    public let source: String

    public init(credentials: Credentials, expiration: Date?, source: String) {
        self.credentials = credentials
        self.expiration = expiration
        self.source = source
    }
}
