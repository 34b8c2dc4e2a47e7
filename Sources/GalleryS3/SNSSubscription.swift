public import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Confirms an SNS subscription by fetching its SubscribeURL (the caller checks the URL is SNS's own).
public enum SNSSubscription {
    public static func confirm(_ url: String, client: HTTPClient) async throws {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        guard response.status.code == 200 else {
            throw CredentialError("SNS answered HTTP \(response.status.code) to the subscription confirmation.")
        }
    }
}
