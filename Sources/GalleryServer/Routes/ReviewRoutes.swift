import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import NIOCore

/// The operator's page for a phone (`--admin-token`): `GET /review` lists the uploads awaiting review
/// with previews and approve/reject buttons, and the photos published lately with a remove button.
///
/// Signing in takes the admin token once (`POST /review/sign-in`, rate-limited per client) and sets a
/// session cookie (`HttpOnly`, `SameSite=Strict`, path `/review`, `Secure` behind https); every
/// button posts to `POST /review` with the session's form token (CSRF). Previews of private
/// renditions: presigned GETs (five minutes) in S3 mode, `GET /review/preview` (signed in) in the
/// embedded mode. Pages are `no-store` and `noindex`.
struct ReviewRoutes<Context: RequestContext & RemoteAddressRequestContext>: Sendable {
    let gallery: Gallery
    let session: AdminSession
    let signInLimiter: RateLimiter
    var trustedProxies: Set<String> = []

    /// Photos published lately that the page lists.
    static var recentCount: Int { 12 }
    /// Uploads awaiting review that the page lists (the oldest): reading each costs a request.
    static var pendingListed: Int { 50 }
    /// How long a preview URL works.
    static var previewSeconds: Int { 300 }

    func add(to router: Router<Context>) {
        router.get("/review") { request, _ in try await reviewPage(request) }
        router.post("/review/sign-in") { request, context in try await signIn(request, context: context) }
        router.post("/review") { request, _ in try await act(request) }
        router.get("/review/preview") { request, _ in try await preview(request) }
    }

    private var secureCookie: Bool { gallery.configuration.publicURL.hasPrefix("https://") }
    private var reviewURL: String { gallery.configuration.publicURL + "/review" }

    private func sessionCookie(_ request: Request) -> String? {
        let value = request.cookies[AdminSession.cookieName]?.value
        return session.isValid(value, now: gallery.clock.now()) ? value : nil
    }

    private func reviewPage(_ request: Request) async throws -> Response {
        guard let cookie = sessionCookie(request) else {
            let html = try gallery.renderer.reviewPage(
                signedIn: false, csrf: "", pending: [], pendingTotal: 0, recent: [], imageOrigins: [])
            return HTMLPage.response(html, policy: policy([]), isPrivate: true)
        }
        let now = gallery.clock.now()
        var pending: [PageRenderer.ReviewItem] = []
        var origins: [String] = []
        let waiting = try await gallery.curator.awaitingReview(limit: Self.pendingListed)
        for photo in waiting.photos {
            let preview = photo.renditions.first { $0.width >= 640 } ?? photo.renditions.last
            let held = preview.map { SiteLayout.heldKey($0.key) } ?? ""
            let url: String
            if let signed = try await gallery.store.presignedGetURL(
                key: held, expiresIn: Self.previewSeconds, now: now)
            {
                url = signed
                let origin = ContentSecurityPolicy.origin(signed)
                if !origins.contains(origin) { origins.append(origin) }
            } else {
                url = reviewURL + "/preview?key=" + Self.queryEncoded(held)
            }
            pending.append(.init(photo: photo, previewURL: url))
        }
        let recent = try await gallery.generator.newestShown(Self.recentCount).map { photo in
            let preview = photo.renditions.first { $0.width >= 640 } ?? photo.renditions.last
            return PageRenderer.ReviewItem(
                photo: photo, previewURL: preview.map { gallery.configuration.galleryURL + "/" + $0.key } ?? "")
        }
        let html = try gallery.renderer.reviewPage(
            signedIn: true, csrf: session.formToken(for: cookie), pending: pending, pendingTotal: waiting.total,
            recent: recent, imageOrigins: origins)
        return HTMLPage.response(html, policy: policy(origins), isPrivate: true)
    }

    private func signIn(_ request: Request, context: Context) async throws -> Response {
        try signInLimiter.admit(ClientAddress.group(of: request, context: context, trustedProxies: trustedProxies))
        let form = try await FormFields.read(request)
        guard let token = form["token"], session.isToken(token) else {
            throw refusal("The admin token is not right.")
        }
        var response = Response(status: .seeOther, headers: [.location: reviewURL, .cacheControl: "no-store"])
        response.setCookie(
            Cookie(
                name: AdminSession.cookieName, value: session.newSession(now: gallery.clock.now()),
                maxAge: Int(AdminSession.lifetime), path: "/review", secure: secureCookie, httpOnly: true,
                sameSite: .strict))
        return response
    }

    private func act(_ request: Request) async throws -> Response {
        guard let cookie = sessionCookie(request) else { throw refusal("Sign in first: your session ended.") }
        let form = try await FormFields.read(request)
        guard let token = form["csrf"], session.isFormToken(token, for: cookie) else {
            throw refusal("This form is stale: reload the review page and try again.")
        }
        let key = try gallery.curator.uploadKey(try form.required("key"))
        switch try form.required("action") {
        case "approve": try await gallery.curator.approve(key, now: gallery.clock.now())
        case "reject": try await gallery.curator.reject(key)
        case "remove": try await gallery.curator.remove(key)
        case let other: throw ServiceError.badRequest("'\(other)' is not an action: approve, reject or remove.")
        }
        return Response(status: .seeOther, headers: [.location: reviewURL, .cacheControl: "no-store"])
    }

    /// A private rendition, for a signed-in operator (the embedded bucket's previews).
    private func preview(_ request: Request) async throws -> Response {
        guard sessionCookie(request) != nil else { throw refusal("Sign in first.") }
        let key = request.uri.queryParameters["key"].map(String.init) ?? ""
        let prefix = SiteLayout.heldKey(SiteLayout.renditionFolder)
        let segments = key.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard key.hasPrefix(prefix), key.hasSuffix(".webp"), segments.count == 2,
            segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\\") })
        else { throw ServiceError.badRequest("'\(key)' is not a held rendition.") }
        guard let data = try await gallery.store.read(key: key, range: nil) else {
            throw ServiceError(status: .notFound, message: "There is no such preview.")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "image/webp", .cacheControl: "private, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func policy(_ origins: [String]) -> String {
        ContentSecurityPolicy.servicePages(gallery.configuration, imageOrigins: origins)
    }

    private func refusal(_ message: String) -> ServiceError {
        let html = try? gallery.renderer.reviewPage(
            signedIn: false, csrf: "", pending: [], pendingTotal: 0, recent: [], imageOrigins: [])
        return ServiceError(status: .forbidden, message: message, page: html.map { ($0, policy([])) })
    }

    static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
