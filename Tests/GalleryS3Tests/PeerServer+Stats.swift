import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

extension PeerServer {
    /// The counters a Python peer reports at `GET /__stats`.
    func stats() async throws -> [String: Int] {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: url + "/__stats"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 4096)
        return try JSONDecoder().decode([String: Int].self, from: Data(body.readableBytesView))
    }
}
