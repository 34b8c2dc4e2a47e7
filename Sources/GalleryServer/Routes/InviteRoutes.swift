import Foundation
import GalleryKit
import Hummingbird

/// `GET /invite?token=…`: where an invite link leads: the title form, carrying the invite on to
/// `POST /upload`. An invite that does not hold gets a page saying why (403).
struct InviteRoutes<Context: RequestContext>: Sendable {
    let gallery: Gallery
    let gate: InviteGate

    func add(to router: Router<Context>) {
        router.get("/invite") { request, _ in
            let token = request.uri.queryParameters["token"].map(String.init) ?? ""
            let expiresAt = try await gate.check(token)
            let page = try gallery.renderer.invitePage(token: token, expiresAt: expiresAt)
            return HTMLPage.response(
                page,
                policy: ContentSecurityPolicy.servicePages(gallery.configuration, imageOrigins: [], uploads: true),
                isPrivate: true)
        }
    }
}
