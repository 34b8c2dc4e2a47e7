import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
struct EnvironmentCredentials: CredentialSource {
    let environment: [String: String]
    var name: String { "environment" }

    func load() async throws -> ExpiringCredentials? {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else { return nil }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return ExpiringCredentials(
            credentials: Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token), expiration: nil,
            source: name)
    }
}
