import Foundation
import SigV4

/// One link of the credential chain: nil means "not configured here, try the next".
protocol CredentialSource: Sendable {
    var name: String { get }
    func load() async throws -> ExpiringCredentials?
}
