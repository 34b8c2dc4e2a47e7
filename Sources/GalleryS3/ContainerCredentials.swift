import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

/// ECS/EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`, with an optional
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` (or `_TOKEN_FILE`).
struct ContainerCredentials: CredentialSource {
    let environment: [String: String]
    let client: HTTPClient
    var name: String { "container credentials" }

    func load() async throws -> ExpiringCredentials? {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            url = "http://169.254.170.2" + relative
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            url = full
        } else {
            return nil
        }
        var headers: [(String, String)] = []
        if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
            headers.append(("Authorization", token))
        } else if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"],
            let token = try? String(contentsOfFile: file, encoding: .utf8)
        {
            headers.append(("Authorization", token.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let (status, body) = try await MetadataHTTP.send(client, url: url, headers: headers)
        guard status == 200 else {
            throw CredentialError("The container credentials endpoint answered HTTP \(status).")
        }
        return try MetadataHTTP.decodeCredentials(body, source: name)
    }
}
