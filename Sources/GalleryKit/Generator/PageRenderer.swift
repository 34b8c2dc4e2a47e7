public import Foundation
import SigV4

/// One generated file: where it goes in the bucket and what it holds.
public struct GeneratedFile: Sendable, Hashable {
    public let key: String
    public let body: Data
    public let contentType: String

    public init(key: String, body: Data, contentType: String) {
        self.key = key
        self.body = body
        self.contentType = contentType
    }
}

/// Turns the gallery model into HTML with the theme's templates. Pure: no storage, no clock.
///
/// Every string reaches the templates as plain text and mustache's `{{…}}` escapes it; URLs are
/// built here from percent-encoded keys, never from user text.
public struct PageRenderer: Sendable {
    public let theme: Theme
    public let configuration: GalleryConfiguration

    public init(theme: Theme, configuration: GalleryConfiguration) {
        self.theme = theme
        self.configuration = configuration
    }

    static let htmlType = "text/html; charset=utf-8"

    /// The bucket key of page `number` (1 is `index.html`).
    public static func pageKey(_ number: Int) -> String { number == 1 ? "index.html" : "page/\(number).html" }
    /// The bucket key of a photo's own page.
    public static func photoPageKey(_ photo: GalleryPhoto) -> String { "photo/\(photo.pageID).html" }

    /// Every page of the gallery for `photos` (newest first): photo pages, then pages from last to first,
    /// so the index, written last, never links to a page that does not exist yet.
    public func site(_ photos: [GalleryPhoto]) throws -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        for (index, photo) in photos.enumerated() {
            let newer = index > 0 ? photos[index - 1] : nil
            let older = index + 1 < photos.count ? photos[index + 1] : nil
            files.append(try photoPage(photo, newer: newer, older: older))
        }
        let pageCount = max(1, (photos.count + configuration.pageSize - 1) / configuration.pageSize)
        for number in stride(from: pageCount, through: 1, by: -1) {
            let start = (number - 1) * configuration.pageSize
            let slice = Array(photos[start..<min(photos.count, start + configuration.pageSize)])
            files.append(try indexPage(slice, number: number, pageCount: pageCount, total: photos.count))
        }
        return files
    }

    // MARK: Contexts handed to the templates

    struct PhotoContext {
        let title: String
        let imageURL: String
        let pageURL: String
        let uploadedAt: String
        let uploadedISO: String
    }

    struct PageLink {
        let number: Int
        let url: String
        let current: Bool
    }

    struct IndexContext {
        let siteTitle: String
        let pageTitle: String
        let root: String
        let uploadURL: String
        let maximumTitleLength: Int
        let photos: [PhotoContext]
        let hasPhotos: Bool
        let total: Int
        let isFirstPage: Bool
        let pageNumber: Int
        let pageCount: Int
        let hasPages: Bool
        let pages: [PageLink]
        let newerPageURL: String?
        let olderPageURL: String?
    }

    struct PhotoPageContext {
        let siteTitle: String
        let pageTitle: String
        let root: String
        let photo: PhotoContext
        let newer: PhotoContext?
        let older: PhotoContext?
        let galleryURL: String
    }

    struct UploadPageContext {
        let siteTitle: String
        let pageTitle: String
        let root: String
        let title: String
        let action: String
        let fields: [FieldContext]
        let contentTypes: [ContentTypeOption]
        let accept: String
        let expiresAt: String
        let expiresISO: String
        let maximumMegabytes: Int
        let galleryURL: String
    }

    struct FieldContext {
        let name: String
        let value: String
    }

    struct ContentTypeOption {
        let value: String
        let label: String
    }

    private func photoContext(_ photo: GalleryPhoto, root: String) -> PhotoContext {
        let date = AmzDate(photo.uploadedAt)
        return PhotoContext(
            title: photo.title.text, imageURL: root + URIEncoding.encode(photo.key, keepSlash: true),
            pageURL: root + Self.photoPageKey(photo),
            uploadedAt: date.iso8601.prefix(10) + " " + date.iso8601.dropFirst(11).prefix(5) + " UTC",
            uploadedISO: date.iso8601)
    }

    // MARK: Pages

    /// Gallery page `number` of `pageCount`, showing `photos`.
    public func indexPage(_ photos: [GalleryPhoto], number: Int, pageCount: Int, total: Int) throws -> GeneratedFile {
        let root = number == 1 ? "" : "../"
        let context = IndexContext(
            siteTitle: configuration.siteTitle,
            pageTitle: number == 1
                ? configuration.siteTitle : "\(configuration.siteTitle): page \(number) of \(pageCount)",
            root: root, uploadURL: configuration.publicURL + "/upload", maximumTitleLength: Title.maximumLength,
            photos: photos.map { photoContext($0, root: root) }, hasPhotos: !photos.isEmpty, total: total,
            isFirstPage: number == 1, pageNumber: number, pageCount: pageCount, hasPages: pageCount > 1,
            pages: (1...pageCount).map { PageLink(number: $0, url: root + Self.pageKey($0), current: $0 == number) },
            newerPageURL: number > 1 ? root + Self.pageKey(number - 1) : nil,
            olderPageURL: number < pageCount ? root + Self.pageKey(number + 1) : nil)
        let html = try theme.render("index", context)
        return GeneratedFile(key: Self.pageKey(number), body: Data(html.utf8), contentType: Self.htmlType)
    }

    /// A photo's own page, linking to its newer and older neighbours.
    public func photoPage(_ photo: GalleryPhoto, newer: GalleryPhoto?, older: GalleryPhoto?) throws -> GeneratedFile {
        let root = "../"
        let context = PhotoPageContext(
            siteTitle: configuration.siteTitle, pageTitle: "\(photo.title.text) · \(configuration.siteTitle)",
            root: root,
            photo: photoContext(photo, root: root), newer: newer.map { photoContext($0, root: root) },
            older: older.map { photoContext($0, root: root) }, galleryURL: root + "index.html")
        let html = try theme.render("photo", context)
        return GeneratedFile(key: Self.photoPageKey(photo), body: Data(html.utf8), contentType: Self.htmlType)
    }

    /// The page the service answers a title with: the signed upload form.
    public func uploadPage(_ upload: PresignedUpload) throws -> String {
        let expires = AmzDate(upload.expiresAt)
        let context = UploadPageContext(
            siteTitle: configuration.siteTitle, pageTitle: "Upload “\(upload.title.text)” · \(configuration.siteTitle)",
            root: configuration.galleryURL + "/", title: upload.title.text, action: upload.form.url,
            fields: upload.form.post.fields.map { FieldContext(name: $0.name, value: $0.value) },
            contentTypes: ImageFormat.allCases.map {
                ContentTypeOption(value: $0.mediaType, label: $0.rawValue.uppercased())
            },
            accept: "image/*",
            expiresAt: expires.iso8601.dropFirst(11).prefix(5) + " UTC", expiresISO: expires.iso8601,
            maximumMegabytes: configuration.maximumUploadBytes / (1024 * 1024),
            galleryURL: configuration.galleryURL + "/")
        return try theme.render("upload", context)
    }
}
