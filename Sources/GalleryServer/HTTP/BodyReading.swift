import HTTPTypes
import Hummingbird
import NIOCore

/// Reads a whole request body with both limits a slow or hostile client needs: a size (413 from
/// Hummingbird) and a deadline for the whole body (408), so a client trickling bytes cannot hold a
/// request open for ever. Idle connections are closed by the server's idle timeout separately.
enum BodyReading {
    static func collect(_ request: Request, upTo maximum: Int, within deadline: Duration) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await request.body.collect(upTo: maximum) }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let body = first else {
                throw ServiceError(
                    status: .requestTimeout, message: "The request body did not arrive within \(deadline).",
                    headers: [.connection: "close"])
            }
            return body
        }
    }
}
