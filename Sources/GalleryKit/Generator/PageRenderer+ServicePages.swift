public import Foundation

/// The pages the service itself answers for guests, uploaders and operators (not in the bucket).
extension PageRenderer {
    /// One photo as the review page lists it, with the URL its preview loads from.
    public struct ReviewItem: Sendable {
        public var photo: GalleryPhoto
        public var previewURL: String

        public init(photo: GalleryPhoto, previewURL: String) {
            self.photo = photo
            self.previewURL = previewURL
        }
    }

    /// The page an invite link opens: the title form carrying `token`, valid until `expiresAt`.
    public func invitePage(token: String, expiresAt: Date) throws -> String {
        let (shown, iso) = Self.displayDate(expiresAt)
        let context = InvitePageContext(
            contentSecurityPolicy: ContentSecurityPolicy.servicePages(configuration, imageOrigins: [], uploads: true),
            siteTitle: configuration.siteTitle, pageTitle: "Add photos · \(configuration.siteTitle)",
            root: configuration.galleryURL + "/", uploader: uploaderContext(invite: token), expiresAt: shown,
            expiresISO: iso,
            galleryURL: configuration.landingURL)
        return try theme.render("invite", context)
    }

    /// The review page: signed out, the sign-in form; signed in, the uploads awaiting review (the
    /// oldest `pending` of `pendingTotal`) and the photos published lately, each with its buttons, the
    /// forms carrying `csrf`.
    public func reviewPage(
        signedIn: Bool, csrf: String, pending: [ReviewItem], pendingTotal: Int, recent: [ReviewItem],
        imageOrigins: [String]
    ) throws -> String {
        func item(_ entry: ReviewItem) -> ReviewItemContext {
            let (shown, iso) = Self.displayDate(entry.photo.uploadedAt)
            let preview = entry.photo.renditions.first { $0.width >= 640 } ?? entry.photo.renditions.last
            return ReviewItemContext(
                key: entry.photo.key, title: entry.photo.title.text, previewURL: entry.previewURL,
                width: preview?.width ?? entry.photo.width, height: preview?.height ?? entry.photo.height,
                uploadedAt: shown, uploadedISO: iso)
        }
        let context = ReviewPageContext(
            contentSecurityPolicy: ContentSecurityPolicy.servicePages(configuration, imageOrigins: imageOrigins),
            siteTitle: configuration.siteTitle, pageTitle: "Review · \(configuration.siteTitle)",
            root: configuration.galleryURL + "/", noindex: true, signedIn: signedIn,
            signInURL: configuration.publicURL + "/review/sign-in", actionURL: configuration.publicURL + "/review",
            csrf: csrf, pendingCount: pendingTotal, listedCount: pending.count,
            moreWaiting: pendingTotal > pending.count, pending: pending.map(item), recent: recent.map(item))
        return try theme.render("review", context)
    }

    /// What an uploader's manage link shows of its photo.
    public struct ManagedPhoto: Sendable {
        public var title: String
        public var image: PublishedImage?
        public var imageURL: String?
        public var standing: String
        public var canRemove: Bool

        public init(title: String, image: PublishedImage?, imageURL: String?, standing: String, canRemove: Bool) {
            self.title = title
            self.image = image
            self.imageURL = imageURL
            self.standing = standing
            self.canRemove = canRemove
        }
    }

    /// The page an uploader's manage link opens.
    public func managePage(_ photo: ManagedPhoto, link: ManageLink, signature: String) throws -> String {
        let (shown, iso) = Self.displayDate(link.expiresAt)
        let context = ManagePageContext(
            contentSecurityPolicy: ContentSecurityPolicy.servicePages(
                configuration, imageOrigins: photo.imageURL.map { [ContentSecurityPolicy.origin($0)] } ?? []),
            siteTitle: configuration.siteTitle, pageTitle: "“\(photo.title)” · \(configuration.siteTitle)",
            root: configuration.galleryURL + "/", noindex: true, title: photo.title, imageURL: photo.imageURL,
            width: photo.image?.width ?? 0, height: photo.image?.height ?? 0, standing: photo.standing,
            canRemove: photo.canRemove, actionURL: configuration.publicURL + "/manage", key: link.key,
            expires: String(Int(link.expiresAt.timeIntervalSince1970)), signature: signature, expiresAt: shown,
            expiresISO: iso, galleryURL: configuration.landingURL)
        return try theme.render("manage", context)
    }
}
