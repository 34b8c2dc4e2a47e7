import Foundation
public import SigV4

/// Something that can produce AWS credentials.
public protocol CredentialProvider: Sendable {
    /// Credentials valid now (refreshed as needed).
    func credentials() async throws -> Credentials
}
