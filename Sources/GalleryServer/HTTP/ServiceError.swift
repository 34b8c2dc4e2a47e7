import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SigV4

/// An error the service answers with a status and a message the visitor can act on.
struct ServiceError: Error, Sendable {
    let status: HTTPResponse.Status
    let message: String
    var headers: HTTPFields = [:]
    /// An HTML page saying the same for browsers (with its Content-Security-Policy), when there is one.
    var page: (html: String, policy: String)? = nil

    static func badRequest(_ message: String) -> ServiceError { .init(status: .badRequest, message: message) }
}
