import FormDecoding
import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SigV4

/// `POST /upload`: a title in, a presigned upload form out (HTML, or botocore's JSON shape).
/// `GET /upload`: the rules an upload must meet (`UploadRules`, JSON), which the uploader checks
/// files against before sending anything.
struct PresignRoutes<Context: RequestContext & RemoteAddressRequestContext>: Sendable {
    let gallery: Gallery
    /// Requests per minute per client; nil: no limit.
    var rateLimiter: RateLimiter? = nil
    /// Pending jobs per client; nil: no limit.
    var pendingLimiter: PendingJobLimiter? = nil
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    var trustedProxies: Set<String> = []
    /// Invite-only uploads: the form's `invite` field must hold; nil: anyone may upload.
    var inviteGate: InviteGate? = nil
    /// Signs the uploader's manage link in every answer; nil: no manage links.
    var linkSigner: LinkSigner? = nil
    /// The upload page's policy header, built once: every form posts to the same URL.
    private let policy = LastValueCache<String, String>()
    /// The largest title form body accepted.
    static var maximumBody: Int { 8 * 1024 }

    func add(to router: Router<Context>) {
        router.post("/upload") { request, context in try await presign(request, context: context) }
        // The same answer every time: encoded once.
        let rules = try? JSONAnswer.response(
            UploadRules(gallery.configuration), status: .ok, cacheControl: "public, max-age=300")
        router.get("/upload") { _, _ in
            guard let rules else { throw ServiceError(status: .internalServerError, message: "No upload rules.") }
            return rules
        }
    }

    /// The JSON answer: what botocore's `generate_presigned_post` returns, plus the key, title and expiry.
    struct PresignedJSON: Encodable {
        let url: String
        let fields: [String: String]
        let key: String
        let title: String
        let expiresAt: String
        /// The uploader's own link to remove the photo within 24 hours, when the service signs them.
        let manageURL: String?
    }

    /// How the bucket is to answer the upload: a redirect to `/uploaded` (the plain form), or, when the
    /// form asks with `success_action_status=201`, a 201 for the script that posts the file and then
    /// calls `/uploaded` itself.
    static func completion(_ pairs: [(name: String, value: String)]) throws -> UploadCompletion {
        let asked = pairs.filter { $0.name == "success_action_status" }
        guard let status = asked.first?.value else { return .redirect }
        guard asked.count == 1, status == "201" else {
            throw ServiceError.badRequest("'success_action_status' may only be 201 (the bucket then answers 201).")
        }
        return .created
    }

    func presign(_ request: Request, context: Context) async throws -> Response {
        let client = ClientAddress.group(of: request, context: context, trustedProxies: trustedProxies)
        try rateLimiter?.admit(client)
        guard let contentType = request.headers[.contentType], FormURLEncoded.isContentType(contentType) else {
            throw ServiceError(
                status: .unsupportedMediaType,
                message: "Send the title as a form (application/x-www-form-urlencoded) with a field named 'title'.")
        }
        let body = try await BodyReading.collect(request, upTo: Self.maximumBody)
        guard let pairs = body.withUnsafeReadableBytes({ FormURLEncoded.decode(bytes: $0) }) else {
            throw ServiceError.badRequest("The form body is not valid URL-encoded UTF-8.")
        }
        if let inviteGate {
            let invites = pairs.filter { $0.name == "invite" }
            try await inviteGate.check(invites.count == 1 ? invites[0].value : nil)
        }
        let titles = pairs.filter { $0.name == "title" }
        guard titles.count == 1, let input = titles.first?.value else {
            throw ServiceError.badRequest(
                titles.isEmpty ? "The form needs a field named 'title'." : "Send exactly one 'title' field.")
        }
        let title = try Title(normalizing: input)
        let completion = try Self.completion(pairs)
        if completion == .created, !ErrorMapping<Context>.wantsJSON(request) {
            // A page would leave its visitor on the bucket's bare 201: only a script can follow it.
            throw ServiceError.badRequest("A 201 form is for scripts: ask with 'Accept: application/json'.")
        }
        var upload =
            if let pendingLimiter {
                try await pendingLimiter.withSlot(for: client, key: \.key) {
                    try await gallery.presigner.presign(title: title, completion: completion)
                }
            } else {
                try await gallery.presigner.presign(title: title, completion: completion)
            }
        context.logger.info("presigned an upload", metadata: ["key": "\(upload.key)"])
        if let linkSigner {
            upload.manageURL = ManageLink(
                key: upload.key, expiresAt: gallery.clock.now().addingTimeInterval(ManageLink.lifetime)
            ).url(publicURL: gallery.configuration.publicURL, signer: linkSigner)
        }

        if ErrorMapping<Context>.wantsJSON(request) {
            let answer = PresignedJSON(
                url: upload.form.url,
                fields: Dictionary(upload.form.post.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                key: upload.key, title: title.text, expiresAt: AmzDate(upload.expiresAt).iso8601,
                manageURL: upload.manageURL)
            return try JSONAnswer.response(answer, status: .created)
        }
        let html = try gallery.renderer.uploadPage(upload)
        return Response(
            status: .created,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: policy.value(for: upload.form.url) {
                    ContentSecurityPolicy.uploadPage(gallery.configuration, formURL: upload.form.url, asHeader: true)
                },
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
