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

/// Small HTTP calls to metadata services, with short timeouts: they are local or absent.
enum MetadataHTTP {
    struct Document: Decodable {
        let AccessKeyId: String
        let SecretAccessKey: String
        let Token: String?
        let Expiration: String?
    }

    static func send(
        _ client: HTTPClient, url: String, method: HTTPMethod = .GET, headers: [(String, String)] = []
    ) async throws -> (UInt, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(2))
        let body = try await response.body.collect(upTo: 64 * 1024)
        return (response.status.code, Data(body.readableBytesView))
    }

    static func decodeCredentials(_ body: Data, source: String) throws -> ExpiringCredentials {
        guard let document = try? JSONDecoder().decode(Document.self, from: body) else {
            throw CredentialError("\(source) answered with something that is not a credentials document.")
        }
        let expiration = document.Expiration.flatMap { AmzDate(iso8601: $0)?.date }
        return ExpiringCredentials(
            credentials: Credentials(
                accessKeyID: document.AccessKeyId, secretAccessKey: document.SecretAccessKey,
                sessionToken: document.Token),
            expiration: expiration, source: source)
    }
}
