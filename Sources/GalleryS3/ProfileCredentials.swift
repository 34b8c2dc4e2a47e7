import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

/// The shared `credentials` and `config` files, profile `AWS_PROFILE` (default `default`).
struct ProfileCredentials: CredentialSource {
    let environment: [String: String]
    var name: String { "profile files" }

    func load() async throws -> ExpiringCredentials? {
        let files = SharedConfigFiles(environment: environment)
        guard let settings = files.profile() else { return nil }
        guard let id = settings["aws_access_key_id"], let secret = settings["aws_secret_access_key"] else { return nil }
        return ExpiringCredentials(
            credentials: Credentials(
                accessKeyID: id, secretAccessKey: secret, sessionToken: settings["aws_session_token"]),
            expiration: nil, source: "profile \(files.profileName)")
    }
}
