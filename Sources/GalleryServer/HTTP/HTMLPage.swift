import GalleryKit
import HTTPTypes
import Hummingbird
import NIOCore

/// A page the service renders (not one from the bucket): never cached, never framed, with its
/// Content-Security-Policy as a header too; `private` pages (review, manage) are kept out of
/// search engines and carry no referrer.
enum HTMLPage {
    static func response(
        _ html: String, status: HTTPResponse.Status = .ok, policy: String, isPrivate: Bool = false,
        headers extra: HTTPFields = [:]
    ) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = policy + "; frame-ancestors 'none'"
        if isPrivate {
            headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
            headers[.referrerPolicy] = "no-referrer"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
