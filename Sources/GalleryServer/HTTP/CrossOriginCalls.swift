import HTTPTypes
import Hummingbird

/// CORS for the gallery's own pages when the bucket serves them from another origin (S3 mode): the
/// upload script on those pages asks `/upload` for forms and confirms with `/uploaded`. Only the
/// gallery's origin is answered, and only on `paths`; every other route stays same-origin only.
/// `Retry-After` is exposed, so the page can wait as long as a 429 or 503 asks. Hummingbird's
/// `CORSMiddleware` does the work (preflights included); this chooses where it applies.
struct CrossOriginCalls<Context: RequestContext>: RouterMiddleware {
    let paths: Set<String>
    let origin: String
    private let cors: CORSMiddleware<Context>

    init(origin: String, paths: Set<String>) {
        self.paths = paths
        self.origin = origin
        self.cors = CORSMiddleware(
            allowOrigin: .oneOf(origin), allowHeaders: [.accept, .contentType],
            allowMethods: [.get, .post, .options], exposedHeaders: ["Retry-After"], maxAge: .seconds(600))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard paths.contains(request.uri.path) else { return try await next(request, context) }
        var response = try await cors.handle(request, context: context, next: next)
        // Which headers a page may read is said on the answer itself (Fetch's CORS check), which
        // Hummingbird's middleware does only on preflights.
        if request.method != .options, request.headers[.origin] == origin {
            response.headers[.accessControlExposeHeaders] = "Retry-After"
        }
        return response
    }
}
