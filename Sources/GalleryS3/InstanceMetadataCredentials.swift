import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

/// EC2 instance metadata with IMDSv2 session tokens; `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it,
/// `AWS_EC2_METADATA_DISABLED=true` turns it off.
struct InstanceMetadataCredentials: CredentialSource {
    let environment: [String: String]
    let client: HTTPClient
    var name: String { "instance metadata" }

    func load() async throws -> ExpiringCredentials? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        var base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        let token: String
        do {
            let (status, body) = try await MetadataHTTP.send(
                client, url: base + "/latest/api/token", method: .PUT,
                headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
            guard status == 200 else { return nil }
            token = String(decoding: body, as: UTF8.self)
        } catch {
            return nil  // Not on EC2 (or the service is unreachable): the chain ends here.
        }
        let auth = [("X-aws-ec2-metadata-token", token)]
        let rolesURL = base + "/latest/meta-data/iam/security-credentials/"
        let (rolesStatus, roles) = try await MetadataHTTP.send(client, url: rolesURL, headers: auth)
        guard rolesStatus == 200,
            let role = String(decoding: roles, as: UTF8.self).split(whereSeparator: \.isNewline).first
        else { return nil }
        let (status, body) = try await MetadataHTTP.send(client, url: rolesURL + role, headers: auth)
        guard status == 200 else {
            throw CredentialError("Instance metadata answered HTTP \(status) for the role's credentials.")
        }
        return try MetadataHTTP.decodeCredentials(body, source: "\(name) (role \(role))")
    }
}
