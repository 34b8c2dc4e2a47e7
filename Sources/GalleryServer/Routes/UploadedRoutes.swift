import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `GET /uploaded`: where the browser lands after S3 (or the local bucket) accepted an upload, or
/// what the upload script calls once the bucket answered 201 (`Accept: application/json`: the same
/// outcomes as JSON, `Confirmation`, instead of redirects and pages).
///
/// Never trusts the query: the object must exist before anything is done with the key.
struct UploadedRoutes<Context: RequestContext>: Sendable {
    let gallery: Gallery
    /// How long to hold the browser while the gallery is rebuilt with its photo.
    let rebuildWait: Duration
    /// How often the "being published" page looks again.
    static var reloadSeconds: Int { 5 }
    /// At most how long to wait for another instance that is processing the same upload.
    static var claimPatience: Duration { .seconds(5) }

    func add(to router: Router<Context>) {
        router.get("/uploaded") { request, context in try await uploaded(request, context: context) }
    }

    /// The JSON answer: `published` (200, with the photo's page), `publishing` (202: ask again after
    /// `retryAfter` seconds) or `review` (202: shown once an operator approves it). Failures are the
    /// usual JSON errors (`{"error": …}`) with their status.
    struct Confirmation: Encodable {
        var status: String
        var title: String? = nil
        var photoURL: String? = nil
        var message: String? = nil
        var retryAfter: Int? = nil
    }

    func uploaded(_ request: Request, context: Context) async throws -> Response {
        let wantsJSON = ErrorMapping<Context>.wantsJSON(request)
        let query = request.uri.queryParameters
        guard let key = query["key"].map(String.init), !key.isEmpty else {
            throw ServiceError.badRequest("The 'key' query parameter is missing.")
        }
        if let bucket = query["bucket"], bucket != gallery.store.bucket {
            throw ServiceError.badRequest("This service does not serve the bucket '\(bucket)'.")
        }
        guard gallery.publisher.isUpload(key) else {
            throw ServiceError.badRequest("'\(key)' is not an upload key.")
        }
        // Another instance may be on it (it shares the queue): give it a few seconds to finish.
        var outcome = try await gallery.publisher.process(key: key, waitingUpTo: Self.claimPatience)
        // The object-created signal may have refused (and deleted) it first: say why, not "no upload".
        if outcome == .missing, let reason = gallery.publisher.rejection(of: key) {
            outcome = .rejected(reason: reason)
        }
        switch outcome {
        case .busy:
            if wantsJSON {
                return try JSONAnswer.response(
                    Confirmation(status: "publishing", retryAfter: Self.reloadSeconds), status: .accepted)
            }
            return Response(status: .seeOther, headers: [.location: gallery.configuration.landingURL])
        case .missing, .ignored:
            throw ServiceError(
                status: .notFound, message: "There is no upload at '\(key)'. If the upload failed, try again.")
        case .awaitingReview(let title):
            let message = "Thank you. The gallery shows new photos once they are approved; yours is waiting for that."
            if wantsJSON {
                return try JSONAnswer.response(
                    Confirmation(status: "review", title: title.text, message: message), status: .accepted)
            }
            let page = try gallery.renderer.noticePage(
                heading: "“\(title.text)” arrived", message: message)
            return Response(
                status: .accepted, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: page)))
        case .withdrawn:
            throw ServiceError(status: .gone, message: "The photo of this upload was taken off the gallery.")
        case .rejected(let reason):
            throw ServiceError(
                status: .unprocessableContent, message: "Your upload was not published: \(reason). It has been removed."
            )
        case .published(let title, _):
            guard await gallery.scheduler.waitForRequested(timeout: rebuildWait) else {
                // Not shown yet (a slow or failing rebuild): say so, and look again, instead of a
                // redirect to a gallery without the photo.
                context.logger.notice("the gallery does not show the upload yet", metadata: ["key": "\(key)"])
                if wantsJSON {
                    return try JSONAnswer.response(
                        Confirmation(status: "publishing", title: title.text, retryAfter: Self.reloadSeconds),
                        status: .accepted)
                }
                let page = try gallery.renderer.publishingPage(title: title, reloadSeconds: Self.reloadSeconds)
                return Response(
                    status: .accepted,
                    headers: [
                        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                        HTTPField.Name("Refresh")!: "\(Self.reloadSeconds)",
                    ],
                    body: .init(byteBuffer: ByteBuffer(string: page)))
            }
            if wantsJSON {
                let photoURL = gallery.configuration.galleryURL + "/" + SiteLayout.photoPageKey(uploadKey: key)
                return try JSONAnswer.response(
                    Confirmation(status: "published", title: title.text, photoURL: photoURL), status: .ok)
            }
            return Response(status: .seeOther, headers: [.location: gallery.configuration.landingURL])
        }
    }
}
