public import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// Confirms an SNS subscription by fetching its SubscribeURL (the caller checks the URL is SNS's own).
public enum SNSSubscription {
    public static func confirm(_ url: String, client: HTTPClient) async throws {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        guard response.status.code == 200 else {
            throw SNSRequestError("SNS answered HTTP \(response.status.code) to the subscription confirmation.")
        }
    }

    /// Downloads an SNS signing certificate (PEM, at most 64 KiB). With `endpoint` (tests: a moto
    /// server, which serves the certificates it signs with), the request goes there instead; moto picks
    /// the service from a request's credential scope, so it names SNS and the URL's region there (the
    /// request carries no secret: certificates are public).
    public static func fetchCertificate(_ url: String, client: HTTPClient, through endpoint: String? = nil)
        async throws -> Data
    {
        var request: HTTPClientRequest
        if let endpoint, let parsed = URLComponents(string: url), let host = parsed.host {
            request = HTTPClientRequest(url: endpoint + parsed.percentEncodedPath)
            let region = host.split(separator: ".").dropFirst().first.map(String.init) ?? "us-east-1"
            request.headers.replaceOrAdd(
                name: "Authorization",
                value: "AWS4-HMAC-SHA256 Credential=certificate/20250101/\(region)/sns/aws4_request, Signature=none")
        } else {
            request = HTTPClientRequest(url: url)
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        guard response.status.code == 200 else {
            throw SNSRequestError("SNS answered HTTP \(response.status.code) for its signing certificate.")
        }
        return Data(try await response.body.collect(upTo: 64 * 1024).readableBytesView)
    }
}
