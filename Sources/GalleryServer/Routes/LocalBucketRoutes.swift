import FormDecoding
import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SigV4

/// The embedded bucket's HTTP face: `POST /bucket` (S3's POST Object, verified as S3 verifies it)
/// and `GET`/`HEAD` of its public files, standing in for S3 static website hosting (where the bucket
/// policy that `gallery setup` writes makes the same keys public, and only those).
struct LocalBucketRoutes<Context: RequestContext & RemoteAddressRequestContext>: Sendable {
    let bucket: LocalBucket
    let maximumUploadBytes: Int
    /// The bytes all uploads being received together may bring.
    let budget: UploadBudget
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    let trustedProxies: Set<String>
    /// Whether visitors may read a key: uploads and the photos' records are private.
    let isPublic: @Sendable (String) -> Bool
    let clock: any WallClock
    /// Called with each key the POST endpoint stores: the object-created signal.
    let objectCreated: @Sendable (String) async -> Void
    let fileIO = FileIO()

    /// Room for the form fields and multipart framing around the largest allowed file.
    static var formOverhead: Int { 64 * 1024 }

    func add(to router: Router<Context>) {
        router.post("/bucket") { request, context in try await post(request, context: context) }
        router.get("**") { request, context in try await serve(request, context: context, head: false) }
        router.head("**") { request, context in try await serve(request, context: context, head: true) }
        router.get("/") { request, context in try await serve(request, context: context, head: false) }
        router.head("/") { request, context in try await serve(request, context: context, head: true) }
    }

    // MARK: POST Object

    func post(_ request: Request, context: Context) async throws -> Response {
        guard let boundary = request.headers[.contentType].flatMap(MultipartUpload.boundary(fromContentType:)) else {
            throw PostUploadError.malformedRequest("The Content-Type must be multipart/form-data with a boundary.")
        }
        let limit = maximumUploadBytes + Self.formOverhead
        let tooLarge = PostUploadError.entityTooLarge(size: limit + 1, maximum: maximumUploadBytes)
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit { throw tooLarge }
        // The form's share of the budget before reading any of it; the file's once the form checks out.
        let client = ClientAddress.group(of: request, context: context, trustedProxies: trustedProxies)
        let expected = declared ?? limit
        var reserved = 0
        defer { budget.release(reserved, for: client) }
        func reserve(_ bytes: Int) throws {
            guard budget.reserve(bytes, for: client) else {
                throw ServiceError(
                    status: .serviceUnavailable,
                    message: "The bucket is receiving as many uploads as it can hold; try again in a few seconds.",
                    headers: [.retryAfter: "5", .connection: "close"])
            }
            reserved += bytes
        }
        try reserve(min(expected, Self.formOverhead))

        // One pass: the fields are verified (signature, expiry, conditions) as soon as the file part
        // begins, so a forged or expired form is refused before its file is read; the file goes to a
        // temporary file chunk by chunk and is stored by rename.
        let reader = try MultipartUploadReader(boundary: boundary)
        var fields: [PresignedPost.Field] = []
        var incoming: IncomingUpload?
        func handle(_ events: [MultipartUploadReader.Event]) throws -> Bool {
            for event in events {
                switch event {
                case .field(let field): fields.append(field)
                case .fileBegins(let fileName):
                    incoming = try bucket.beginUpload(fields: fields, fileName: fileName, now: clock.now())
                    try reserve(expected - reserved)
                case .fileBytes(let bytes): try bytes.withUnsafeReadableBytes { try incoming?.write($0) }
                case .fileEnds: return false
                }
            }
            return true
        }
        try await BodyReading.stream(request, upTo: limit, tooLarge: tooLarge) { try handle(reader.read($0)) }
        _ = try handle(try reader.finish())
        guard let incoming else { throw PostUploadError.missingField("file") }
        let stored = try incoming.finish()
        let fileSize = incoming.size
        context.logger.info("stored an upload", metadata: ["key": "\(stored.key)", "bytes": "\(fileSize)"])
        await objectCreated(stored.key)

        if let redirect = stored.redirect {
            return Response(status: .seeOther, headers: [.location: redirect])
        }
        if stored.status == 201 {
            // As S3 answers `success_action_status` 201: what was stored, as XML.
            let xml =
                #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n<PostResponse><Bucket>"
                + MarkupEscaping.escape(bucket.bucket) + "</Bucket><Key>" + MarkupEscaping.escape(stored.key)
                + "</Key><ETag>" + MarkupEscaping.escape(stored.etag) + "</ETag></PostResponse>"
            return Response(
                status: .created, headers: [.eTag: stored.etag, .contentType: "application/xml"],
                body: .init(byteBuffer: ByteBuffer(string: xml)))
        }
        return Response(status: .init(code: stored.status), headers: [.eTag: stored.etag])
    }

    // MARK: Static files

    func serve(_ request: Request, context: Context, head: Bool) async throws -> Response {
        guard let path = URIEncoding.decode(request.uri.path) else { throw notFound }
        var key = String(path.drop { $0 == "/" })
        if key.isEmpty || key.hasSuffix("/") { key += "index.html" }
        guard isPublic(key), let served = try bucket.servedObject(key: key) else { throw notFound }
        let object = served.head

        var headers: HTTPFields = [
            .contentType: object.contentType, .eTag: object.etag, .lastModified: AmzDate(object.lastModified).httpDate,
            .contentLength: String(object.size), .acceptRanges: "bytes",
        ]
        if let cacheControl = object.cacheControl { headers[.cacheControl] = cacheControl }
        if StaticRequest.isNotModified(request.headers, etag: object.etag, lastModified: object.lastModified) {
            headers[.contentLength] = nil
            return Response(status: .notModified, headers: headers)
        }
        switch StaticRequest.range(request.headers[.range], size: object.size) {
        case .whole:
            if head { return Response(status: .ok, headers: headers) }
            if let bytes = served.body {
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
            return Response(
                status: .ok, headers: headers, body: try await fileIO.loadFile(path: served.path, context: context))
        case .unsatisfiable:
            return Response(
                status: .rangeNotSatisfiable,
                headers: [.contentRange: "bytes */\(object.size)", .contentLength: "0", .eTag: object.etag])
        case .part(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(object.size)"
            headers[.contentLength] = String(range.count)
            if head { return Response(status: .partialContent, headers: headers) }
            if let bytes = served.body {
                return Response(
                    status: .partialContent, headers: headers,
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes[range])))
            }
            return Response(
                status: .partialContent, headers: headers,
                body: try await fileIO.loadFile(path: served.path, range: range, context: context))
        }
    }

    private var notFound: ServiceError { ServiceError(status: .notFound, message: "Not found.") }
}
