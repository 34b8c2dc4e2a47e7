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

/// Something that can produce AWS credentials.
public protocol CredentialProvider: Sendable {
    /// Credentials valid now (refreshed as needed).
    func credentials() async throws -> Credentials
}

/// One link of the credential chain: nil means "not configured here, try the next".
protocol CredentialSource: Sendable {
    var name: String { get }
    func load() async throws -> ExpiringCredentials?
}

/// Why no credentials could be found.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Fixed credentials.
public struct StaticCredentials: CredentialProvider {
    public let value: Credentials
    public init(_ value: Credentials) { self.value = value }
    public func credentials() async throws -> Credentials { value }
}
