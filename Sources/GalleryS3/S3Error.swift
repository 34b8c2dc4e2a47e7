import Foundation
public import GalleryKit

/// An error S3 answered with, or a transport failure, in terms the caller can act on. Never holds secrets.
public struct S3Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// S3's error code (`NoSuchBucket`, `AccessDenied`, `SlowDown`…), or a local one for transport failures.
    public let code: String
    public let message: String
    /// The HTTP status, 0 when no answer arrived.
    public let status: Int
    /// What was being done (`PutObjectTagging photos/…`).
    public let operation: String
    public let requestID: String?

    public init(code: String, message: String, status: Int, operation: String, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.operation = operation
        self.requestID = requestID
    }

    public var description: String {
        "\(operation) failed: \(code) (\(status == 0 ? "no answer" : "HTTP \(status)")): \(message)"
            + (requestID.map { " [request \($0)]" } ?? "")
    }

    /// Whether trying again may help: throttling, server errors, timeouts, broken connections.
    public var isRetryable: Bool {
        status == 0 || status >= 500 || status == 429 || ["RequestTimeout", "SlowDown", "InternalError"].contains(code)
    }
}

extension S3Error: StoreFailure {
    public var isTransient: Bool { isRetryable }
}
