import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// How long a request's body may take to arrive, by request: a slow or hostile client cannot hold a
/// request open for ever by trickling bytes (the idle timeout only notices silence). Pure.
struct BodyDeadlines: Sendable {
    /// For forms and events.
    var forms: Duration
    /// For `POST` to `uploadPath` (the local bucket's uploads); nil: no such route.
    var uploads: Duration
    var uploadPath: String?

    /// The deadline for `request`'s body, counted from its head; nil for requests without a body.
    /// Every request that announces one has a deadline, whatever its method: a GET with a body
    /// trickled a byte at a time held its connection for as long as the client liked.
    func limit(for request: HTTPRequest) -> Duration? {
        guard Self.announcesBody(request) else { return nil }
        if let uploadPath, let path = request.path,
            path == uploadPath || path.hasPrefix(uploadPath + "?")
        {
            return uploads
        }
        return forms
    }
}

extension BodyDeadlines {
    /// Whether the head says a body follows: a non-zero Content-Length, or a Transfer-Encoding.
    static func announcesBody(_ request: HTTPRequest) -> Bool {
        if request.headerFields[.transferEncoding] != nil { return true }
        guard let length = request.headerFields[.contentLength] else { return false }
        return length != "0"
    }
}
