import HTTPTypes
import Hummingbird

/// Refuses a body on a method that takes none (GET, HEAD, DELETE, OPTIONS): nothing reads it, so it
/// could only hold the connection while it trickles in. 400, before any route runs; the connection's
/// body deadline (`BodyDeadlines`) then closes it if the body is still arriving.
struct BodylessMethods<Context: RequestContext>: RouterMiddleware {
    static var methods: Set<HTTPRequest.Method> { [.get, .head, .delete, .options] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.methods.contains(request.method), BodyDeadlines.announcesBody(request.head) {
            throw ServiceError.badRequest("A \(request.method.rawValue) request takes no body.")
        }
        return try await next(request, context)
    }
}
