import Foundation
import GalleryKit
import NIOHTTP1
import SigV4

/// The few SNS calls setup makes, over the query API, signed for service `sns`.
struct SNSClient {
    let client: S3Client

    /// Calls `action`; returns the text of the `result` element of the answer, if asked.
    func call(_ action: String, _ parameters: [String: String], result: String?) async throws -> String {
        let url = client.endpoint.serviceURL("sns")
        guard let parsed = URL(string: url), let host = parsed.host else { throw SNSRequestError("bad SNS URL \(url)") }
        let authority = host + (parsed.port.map { ":\($0)" } ?? "")
        let form = (["Action": action, "Version": "2010-03-31"].merging(parameters) { $1 })
            .sorted { $0.key < $1.key }
            .map { "\(URIEncoding.encode($0.key))=\(URIEncoding.encode($0.value))" }.joined(separator: "&")
        let response = try await client.sendSigned(
            "SNS \(action)", method: .POST, url: url, host: authority, path: "/", query: [],
            headers: [("content-type", "application/x-www-form-urlencoded; charset=utf-8")], body: Data(form.utf8),
            service: "sns", accept: [])
        guard let result else { return "" }
        let text = String(decoding: response.body, as: UTF8.self)
        guard let start = text.range(of: "<\(result)>"),
            let end = text.range(of: "</\(result)>", range: start.upperBound..<text.endIndex)
        else {
            throw S3Error(
                code: "UnexpectedAnswer", message: "no \(result) in the answer", status: response.status,
                operation: "SNS \(action)")
        }
        return String(text[start.upperBound..<end.lowerBound])
    }
}
