import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The service's JSON answers: sorted keys and slashes as they are (the same bytes for the same
/// value), never cached unless the caller says how long.
enum JSONAnswer {
    static let encoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` encoded, as the body of an answer with `status`.
    static func response(
        _ value: some Encodable, status: HTTPResponse.Status, cacheControl: String = "no-store"
    ) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: cacheControl],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
