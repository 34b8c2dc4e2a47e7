import Mustache

/// A value handed to a template. Each context names its fields once, as the cases of `Field`;
/// `value(of:)` is an exhaustive switch, so the compiler sees every field served, and
/// `TemplateFieldTests` holds every name the theme's templates use to some context's `Field`.
///
/// Lookups go by name through `MustacheParent`: without it, swift-mustache finds every value by
/// reflection (`Mirror`), which was a third of the CPU time of `POST /upload`.
protocol TemplateContext: MustacheParent {
    associatedtype Field: RawRepresentable<String>, CaseIterable
    func value(of field: Field) -> Any?
}

extension TemplateContext {
    func child(named key: String) -> Any? {
        guard let field = Field(rawValue: key) else { return nil }
        return value(of: field)
    }

    /// Every name a template may look up in this context.
    static var fieldNames: [String] { Field.allCases.map(\.rawValue) }
}

extension PageRenderer {
    /// Every context type, for checking the templates' names.
    static let contextFieldNames: Set<String> = Set(
        PhotoContext.fieldNames + PageLink.fieldNames + ListContext.fieldNames + PhotoPageContext.fieldNames
            + UploadPageContext.fieldNames + ContentTypeOption.fieldNames + PublishingPageContext.fieldNames
            + NoticePageContext.fieldNames + InvitePageContext.fieldNames + ReviewItemContext.fieldNames
            + ReviewPageContext.fieldNames + ManagePageContext.fieldNames + UploaderContext.fieldNames)

    /// The title form that starts an upload (index and invite page), which its script turns into the
    /// uploader.
    struct UploaderContext: TemplateContext {
        let uploadURL: String
        let maximumTitleLength: Int
        /// The invite the form carries (invite-only uploads), or nil.
        let invite: String?
        /// Where the uploader goes to see the gallery.
        let galleryURL: String

        enum Field: String, CaseIterable {
            case uploadURL, maximumTitleLength, invite, galleryURL
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .uploadURL: uploadURL
            case .maximumTitleLength: maximumTitleLength
            case .invite: invite
            case .galleryURL: galleryURL
            }
        }
    }

    /// One photo in a grid, or the photo of its own page.
    struct PhotoContext: TemplateContext {
        let title: String
        let pageURL: String
        /// The fallback `src`, and the photo page's.
        let src: String
        let largeSrc: String
        let srcset: String
        let width: Int
        let height: Int
        let placeholder: String
        /// Loaded at once rather than lazily (the first row).
        let eager: Bool
        let uploadedAt: String
        let uploadedISO: String
        let takenAt: String?
        let takenISO: String?
        let downloadURL: String?

        enum Field: String, CaseIterable {
            case title, pageURL, src, largeSrc, srcset, width, height, placeholder, eager, uploadedAt, uploadedISO,
                takenAt, takenISO, downloadURL
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .title: title
            case .pageURL: pageURL
            case .src: src
            case .largeSrc: largeSrc
            case .srcset: srcset
            case .width: width
            case .height: height
            case .placeholder: placeholder
            case .eager: eager
            case .uploadedAt: uploadedAt
            case .uploadedISO: uploadedISO
            case .takenAt: takenAt
            case .takenISO: takenISO
            case .downloadURL: downloadURL
            }
        }
    }

    struct PageLink: TemplateContext {
        let number: Int
        let url: String

        enum Field: String, CaseIterable { case number, url }

        func value(of field: Field) -> Any? {
            switch field {
            case .number: number
            case .url: url
            }
        }
    }

    /// The index and the numbered pages.
    struct ListContext: TemplateContext {
        let contentSecurityPolicy: String
        let siteTitle: String
        let pageTitle: String
        let heading: String
        let root: String
        let uploader: UploaderContext
        let photos: [PhotoContext]
        let hasPhotos: Bool
        let total: Int
        let isIndex: Bool
        /// The newest pages (at most `PageRenderer.listedPages`), newest first.
        let pages: [PageLink]
        /// The first page, when `pages` stops short of it (the template puts a gap before it).
        let oldestPage: PageLink?
        let hasPages: Bool
        let newerURL: String?
        let olderURL: String?
        let atomURL: String
        let jsonFeedURL: String

        enum Field: String, CaseIterable {
            case contentSecurityPolicy, siteTitle, pageTitle, heading, root, uploader, photos, hasPhotos, total,
                isIndex, pages, oldestPage, hasPages, newerURL, olderURL, atomURL, jsonFeedURL
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .contentSecurityPolicy: contentSecurityPolicy
            case .siteTitle: siteTitle
            case .pageTitle: pageTitle
            case .heading: heading
            case .root: root
            case .uploader: uploader
            case .photos: photos
            case .hasPhotos: hasPhotos
            case .total: total
            case .isIndex: isIndex
            case .pages: pages
            case .oldestPage: oldestPage
            case .hasPages: hasPages
            case .newerURL: newerURL
            case .olderURL: olderURL
            case .atomURL: atomURL
            case .jsonFeedURL: jsonFeedURL
            }
        }
    }

    /// A photo's own page.
    struct PhotoPageContext: TemplateContext {
        let contentSecurityPolicy: String
        let siteTitle: String
        let pageTitle: String
        let root: String
        let photo: PhotoContext
        let newer: PhotoContext?
        let older: PhotoContext?
        let galleryURL: String
        /// The numbered page the photo is on, and its number.
        let pageURL: String
        let pageNumber: Int

        enum Field: String, CaseIterable {
            case contentSecurityPolicy, siteTitle, pageTitle, root, photo, newer, older, galleryURL, pageURL,
                pageNumber
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .contentSecurityPolicy: contentSecurityPolicy
            case .siteTitle: siteTitle
            case .pageTitle: pageTitle
            case .root: root
            case .photo: photo
            case .newer: newer
            case .older: older
            case .galleryURL: galleryURL
            case .pageURL: pageURL
            case .pageNumber: pageNumber
            }
        }
    }

    /// The upload form the service answers a title with.
    struct UploadPageContext: TemplateContext {
        let contentSecurityPolicy: String
        let siteTitle: String
        let pageTitle: String
        let root: String
        let title: String
        let action: String
        /// The signed fields as hidden inputs, escaped here: swift-mustache's escaping of the long
        /// policy and signature values was a fifth of the CPU time of `POST /upload`.
        let signedFields: String
        let contentTypes: [ContentTypeOption]
        let accept: String
        /// The accepted formats in words: "JPEG, PNG, WebP or GIF".
        let formats: String
        let expiresAt: String
        let expiresISO: String
        let maximumMegabytes: String
        let galleryURL: String
        /// The paragraph with the uploader's manage link (HTML, escaped here), or empty.
        let manageLink: String

        enum Field: String, CaseIterable {
            case manageLink
            case contentSecurityPolicy, siteTitle, pageTitle, root, title, action, signedFields, contentTypes, accept,
                formats, expiresAt, expiresISO, maximumMegabytes, galleryURL
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .contentSecurityPolicy: contentSecurityPolicy
            case .siteTitle: siteTitle
            case .pageTitle: pageTitle
            case .root: root
            case .title: title
            case .action: action
            case .signedFields: signedFields
            case .contentTypes: contentTypes
            case .accept: accept
            case .formats: formats
            case .expiresAt: expiresAt
            case .expiresISO: expiresISO
            case .maximumMegabytes: maximumMegabytes
            case .galleryURL: galleryURL
            case .manageLink: manageLink
            }
        }
    }

    struct ContentTypeOption: TemplateContext {
        let value: String
        let label: String

        enum Field: String, CaseIterable { case value, label }

        func value(of field: Field) -> Any? {
            switch field {
            case .value: value
            case .label: label
            }
        }
    }

    /// The page `/uploaded` answers while the gallery is not yet showing the photo.
    struct PublishingPageContext: TemplateContext {
        let contentSecurityPolicy: String
        let siteTitle: String
        let pageTitle: String
        let root: String
        let title: String
        let reloadSeconds: Int
        let galleryURL: String

        enum Field: String, CaseIterable {
            case contentSecurityPolicy, siteTitle, pageTitle, root, title, reloadSeconds, galleryURL
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .contentSecurityPolicy: contentSecurityPolicy
            case .siteTitle: siteTitle
            case .pageTitle: pageTitle
            case .root: root
            case .title: title
            case .reloadSeconds: reloadSeconds
            case .galleryURL: galleryURL
            }
        }
    }

    /// A page the service answers with a plain message: an upload awaiting review, a photo taken off,
    /// an invite needed, a link no longer valid.
    struct NoticePageContext: TemplateContext {
        let contentSecurityPolicy: String
        let siteTitle: String
        let pageTitle: String
        let root: String
        let heading: String
        let message: String
        let galleryURL: String

        enum Field: String, CaseIterable {
            case contentSecurityPolicy, siteTitle, pageTitle, root, heading, message, galleryURL
        }

        func value(of field: Field) -> Any? {
            switch field {
            case .contentSecurityPolicy: contentSecurityPolicy
            case .siteTitle: siteTitle
            case .pageTitle: pageTitle
            case .root: root
            case .heading: heading
            case .message: message
            case .galleryURL: galleryURL
            }
        }
    }
}
