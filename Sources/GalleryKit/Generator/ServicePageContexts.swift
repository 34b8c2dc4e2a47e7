extension PageRenderer {
    /// The page an invite link opens: the title form, carrying the invite.
    struct InvitePageContext: TemplateContext {
        let contentSecurityPolicy: String
        let siteTitle: String
        let pageTitle: String
        let root: String
        let uploader: UploaderContext
        let expiresAt: String
        let expiresISO: String
        let galleryURL: String

        enum Field: String, CaseIterable {
            case contentSecurityPolicy, siteTitle, pageTitle, root, uploader, expiresAt, expiresISO, galleryURL
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .contentSecurityPolicy: contentSecurityPolicy
            case .siteTitle: siteTitle
            case .pageTitle: pageTitle
            case .root: root
            case .uploader: uploader
            case .expiresAt: expiresAt
            case .expiresISO: expiresISO
            case .galleryURL: galleryURL
            }
        }
    }

    /// One photo on the review page: awaiting review, or published lately.
    struct ReviewItemContext: TemplateContext {
        let key: String
        let title: String
        let previewURL: String
        let width: Int
        let height: Int
        let uploadedAt: String
        let uploadedISO: String

        enum Field: String, CaseIterable {
            case key, title, previewURL, width, height, uploadedAt, uploadedISO
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .key: key
            case .title: title
            case .previewURL: previewURL
            case .width: width
            case .height: height
            case .uploadedAt: uploadedAt
            case .uploadedISO: uploadedISO
            }
        }
    }

    /// The review page: a sign-in form, or the uploads awaiting review and the photos published lately.
    struct ReviewPageContext: TemplateContext {
        let contentSecurityPolicy: String
        let siteTitle: String
        let pageTitle: String
        let root: String
        let noindex: Bool
        let signedIn: Bool
        let signInURL: String
        let actionURL: String
        let csrf: String
        let pendingCount: Int
        let listedCount: Int
        let moreWaiting: Bool
        let pending: [ReviewItemContext]
        let recent: [ReviewItemContext]

        enum Field: String, CaseIterable {
            case contentSecurityPolicy, siteTitle, pageTitle, root, noindex, signedIn, signInURL, actionURL, csrf,
                pendingCount, listedCount, moreWaiting, pending, recent
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .contentSecurityPolicy: contentSecurityPolicy
            case .siteTitle: siteTitle
            case .pageTitle: pageTitle
            case .root: root
            case .noindex: noindex
            case .signedIn: signedIn
            case .signInURL: signInURL
            case .actionURL: actionURL
            case .csrf: csrf
            case .pendingCount: pendingCount
            case .listedCount: listedCount
            case .moreWaiting: moreWaiting
            case .pending: pending
            case .recent: recent
            }
        }
    }

    /// The page an uploader's manage link opens: the photo and a remove button.
    struct ManagePageContext: TemplateContext {
        let contentSecurityPolicy: String
        let siteTitle: String
        let pageTitle: String
        let root: String
        let noindex: Bool
        let title: String
        let imageURL: String?
        let width: Int
        let height: Int
        let standing: String
        let canRemove: Bool
        let actionURL: String
        let key: String
        let expires: String
        let signature: String
        let expiresAt: String
        let expiresISO: String
        let galleryURL: String

        enum Field: String, CaseIterable {
            case contentSecurityPolicy, siteTitle, pageTitle, root, noindex, title, imageURL, width, height, standing,
                canRemove, actionURL, key, expires, signature, expiresAt, expiresISO, galleryURL
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .contentSecurityPolicy: contentSecurityPolicy
            case .siteTitle: siteTitle
            case .pageTitle: pageTitle
            case .root: root
            case .noindex: noindex
            case .title: title
            case .imageURL: imageURL
            case .width: width
            case .height: height
            case .standing: standing
            case .canRemove: canRemove
            case .actionURL: actionURL
            case .key: key
            case .expires: expires
            case .signature: signature
            case .expiresAt: expiresAt
            case .expiresISO: expiresISO
            case .galleryURL: galleryURL
            }
        }
    }
}
