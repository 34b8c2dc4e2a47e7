import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

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
