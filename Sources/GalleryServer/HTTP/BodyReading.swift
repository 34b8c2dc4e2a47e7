import HTTPTypes
import Hummingbird
import NIOCore

/// Reads a whole request body with both limits a slow or hostile client needs: a size (413 from
/// Hummingbird) and a deadline for the whole body (408; the deadline itself is kept by
/// `BodyDeadlineHandler` in the connection's pipeline). Idle connections are closed by the server's
/// idle timeout separately.
enum BodyReading {
    static func collect(_ request: Request, upTo maximum: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: maximum)
        } catch let passed as BodyDeadlinePassed {
            throw ServiceError(
                status: .requestTimeout, message: "The request body did not arrive within \(passed.limit).",
                headers: [.connection: "close"])
        }
    }
}
