import Foundation
public import SigV4

/// Fixed credentials.
public struct StaticCredentials: CredentialProvider {
    public let value: Credentials
    public init(_ value: Credentials) { self.value = value }
    public func credentials() async throws -> Credentials { value }
}
