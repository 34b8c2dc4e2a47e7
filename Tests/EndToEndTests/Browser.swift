import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

/// An HTTP answer as the tests read it.
struct Answer {
    let status: UInt
    let headers: HTTPHeaders
    let body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A browser that does not follow redirects, so each step is checked.
final class Browser: Sendable {
    /// One client for the tests, alive as long as the test process (a client must be shut down
    /// before it goes away, which a test that throws half-way would not do).
    private static let sharedClient = Browser.makeClient()
    let client: HTTPClient
    private let ownsClient: Bool

    /// A browser on the shared client; with `freshConnections`, on a client of its own (its
    /// connections are not the shared pool's), which `shutdown()` must end.
    init(freshConnections: Bool = false) {
        ownsClient = freshConnections
        client = freshConnections ? Self.makeClient() : Self.sharedClient
    }

    private static func makeClient() -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    }

    /// Ends a client of its own.
    func shutdown() async throws {
        if ownsClient { try await client.shutdown() }
    }

    func send(_ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: Data? = nil)
        async throws
        -> Answer
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Answer(status: response.status.code, headers: response.headers, body: Data(buffer.readableBytesView))
    }

    /// Hidden inputs of the upload page, in order.
    /// Every photo entry of the site's manifest, oldest first, read as any JSON reader would: follow
    /// `gallery.json` to the archive's parts, in order, then to the newest part. Nil when a file does
    /// not answer 200 (a version replaced meanwhile: read again).
    func manifestEntries(site: String) async throws -> [[String: Any]]? {
        func object(_ path: String) async throws -> [String: Any]? {
            let answer = try await send(site + "/" + path)
            guard answer.status == 200 else { return nil }
            return try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        }
        guard let header = try await object("gallery.json") else { return nil }
        var parts: [String] = []
        if let archive = header["archive"] as? String {
            guard let list = try await object(archive)?["parts"] as? [[String: Any]] else { return nil }
            parts = list.compactMap { $0["url"] as? String }
        }
        if let newest = header["newest"] as? String { parts.append(newest) }
        var entries: [[String: Any]] = []
        for part in parts {
            guard let photos = try await object(part)?["photos"] as? [[String: Any]] else { return nil }
            entries += photos
        }
        return entries
    }

    static func hiddenFields(_ html: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<input type="hidden" name="([^"]*)" value="([^"]*)">"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            let text = { (index: Int) in String(html[Range(match.range(at: index), in: html)!]) }
            return (unescape(text(1)), unescape(text(2)))
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }
}

/// A step of a browser flow that did not go as a browser would expect.
struct FlowFailure: Error, CustomStringConvertible {
    let description: String
}

extension Browser {
    /// What a visitor does: asks `base` for an upload form for `title` (JSON), posts `file` to it
    /// as `contentType`, and follows the redirect to `/uploaded`. Returns the key and that last answer.
    func upload(to base: String, title: String, file: Data, contentType: String) async throws -> (
        key: String, landed: Answer
    ) {
        let presigned = try await send(
            base + "/upload", method: .POST,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data(("title=" + Browser.formEncode(title)).utf8))
        guard presigned.status == 201,
            let object = try JSONSerialization.jsonObject(with: presigned.body) as? [String: Any],
            let url = object["url"] as? String, let fields = object["fields"] as? [String: String],
            let key = object["key"] as? String
        else { throw FlowFailure(description: "presign failed: \(presigned.status) \(presigned.text)") }
        let (body, type) = Fixtures.multipart(
            fields: fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [("Content-Type", contentType)],
            file: file, fileType: contentType)
        let posted = try await send(url, method: .POST, headers: [("Content-Type", type)], body: body)
        guard posted.status == 303, let location = posted.headers.first(name: "Location") else {
            throw FlowFailure(description: "the upload was refused: \(posted.status) \(posted.text)")
        }
        return (key, try await send(location))
    }

    /// Waits (bounded) until `base` answers `/healthz`.
    func waitUntilHealthy(_ base: String, server: GalleryProcess) async throws {
        for _ in 0..<150 {
            if (try? await send(base + "/healthz"))?.status == 200 { return }
            guard server.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FlowFailure(description: "the service did not answer on \(base): \(server.log)")
    }
}
