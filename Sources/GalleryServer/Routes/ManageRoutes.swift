import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird

/// `GET /manage` and `POST /manage`: the uploader's own link (`ManageLink`, in the presign answer)
/// shows the photo with a remove button, and the button removes it as `gallery remove` does. The
/// link is the only credential: signed for one key, valid 24 hours from the presign.
struct ManageRoutes<Context: RequestContext>: Sendable {
    let gallery: Gallery
    let signer: LinkSigner

    func add(to router: Router<Context>) {
        router.get("/manage") { request, _ in
            let query = request.uri.queryParameters
            let (link, signature) = try verify(
                key: query["key"].map(String.init), expires: query["expires"].map(String.init),
                signature: query["signature"].map(String.init))
            return try await page(for: link, signature: signature)
        }
        router.post("/manage") { request, _ in
            let form = try await FormFields.read(request)
            let (link, _) = try verify(key: form["key"], expires: form["expires"], signature: form["signature"])
            let photo = try await gallery.curator.remove(link.key)
            let title = photo?.title.text ?? "Your upload"
            let html = try gallery.renderer.noticePage(
                heading: "“\(title)” was removed", message: "It is no longer in the gallery, its feeds or its pages.")
            return HTMLPage.response(html, policy: policy(images: []), isPrivate: true)
        }
    }

    private func policy(images: [String]) -> String {
        ContentSecurityPolicy.servicePages(gallery.configuration, imageOrigins: images)
    }

    /// The link in these fields, when it holds; else a 403 page saying why.
    private func verify(key: String?, expires: String?, signature: String?) throws -> (ManageLink, String) {
        do throws(Invite.Refusal) {
            let link = try ManageLink.verify(
                key: key, expires: expires, signature: signature, signer: signer, now: gallery.clock.now())
            guard gallery.publisher.isUpload(link.key) else { throw Invite.Refusal.malformed }
            return (link, signature ?? "")
        } catch {
            let message =
                switch error {
                case .expired: "This link has expired: it works for 24 hours after the upload."
                default: "This link is not valid."
                }
            let html = try? gallery.renderer.noticePage(heading: "This link does not work", message: message)
            throw ServiceError(status: .forbidden, message: message, page: html.map { ($0, policy(images: [])) })
        }
    }

    private func page(for link: ManageLink, signature: String) async throws -> Response {
        let found = try await gallery.curator.standing(of: link.key)
        let managed: PageRenderer.ManagedPhoto
        switch found {
        case (let photo, .shown)?:
            let image = photo.renditions.first { $0.width >= 640 } ?? photo.renditions.last
            managed = .init(
                title: photo.title.text, image: image,
                imageURL: image.map { gallery.configuration.galleryURL + "/" + $0.key },
                standing: "This photo is in the gallery.", canRemove: true)
        case (let photo, .awaitingReview)?:
            managed = .init(
                title: photo.title.text, image: nil, imageURL: nil,
                standing: "This photo waits for approval before the gallery shows it.", canRemove: true)
        case (let photo, .hidden)?:
            managed = .init(
                title: photo.title.text, image: nil, imageURL: nil,
                standing: "The gallery's operator took this photo off the gallery.", canRemove: true)
        case (_, .removed)?:
            managed = .init(
                title: "Removed", image: nil, imageURL: nil, standing: "This photo was removed.", canRemove: false)
        case nil:
            let landed = try await gallery.store.head(key: link.key) != nil
            let queued = try await gallery.queue.job(for: link.key) != nil
            let pending = landed || queued
            managed = .init(
                title: "Your upload", image: nil, imageURL: nil,
                standing: pending ? "This upload is not published yet." : "There is no photo here (any more).",
                canRemove: pending)
        }
        let html = try gallery.renderer.managePage(managed, link: link, signature: signature)
        return HTMLPage.response(
            html, policy: policy(images: managed.imageURL.map { [ContentSecurityPolicy.origin($0)] } ?? []),
            isPrivate: true)
    }
}
