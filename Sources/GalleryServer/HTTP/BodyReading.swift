import HTTPTypes
import Hummingbird
import NIOCore

/// Reads a request body with both limits a slow or hostile client needs: a size (413) and a
/// deadline for the whole body (408; the deadline itself is kept by `BodyDeadlineHandler` in the
/// connection's pipeline). Idle connections are closed by the server's idle timeout separately.
enum BodyReading {
    /// Collects the whole body; for small bodies (forms, event notifications).
    static func collect(_ request: Request, upTo maximum: Int) async throws -> ByteBuffer {
        try await answeringDeadline { try await request.body.collect(upTo: maximum) }
    }

    /// Hands the body to `consume` chunk by chunk until it returns false or the body ends; throws
    /// `tooLarge` once more than `maximum` bytes have arrived.
    static func stream(
        _ request: Request, upTo maximum: Int, tooLarge: @autoclosure () -> any Error,
        _ consume: (ByteBuffer) async throws -> Bool
    ) async throws {
        try await answeringDeadline {
            var received = 0
            for try await chunk in request.body {
                received += chunk.readableBytes
                guard received <= maximum else { throw tooLarge() }
                guard try await consume(chunk) else { return }
            }
        }
    }

    private static func answeringDeadline<T>(_ read: () async throws -> T) async throws -> T {
        do {
            return try await read()
        } catch let passed as BodyDeadlinePassed {
            throw ServiceError(
                status: .requestTimeout, message: "The request body did not arrive within \(passed.limit).",
                headers: [.connection: "close"])
        }
    }
}
