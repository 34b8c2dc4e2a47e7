import Foundation
import ImageProcessing
import SigV4

/// Turns the gallery's layout into HTML with the theme's templates. Pure: no storage, no clock.
///
/// Every string reaches the templates as plain text and mustache's `{{…}}` escapes it; URLs are
/// built here from percent-encoded keys, never from user text.
public struct PageRenderer: Sendable {
    public let theme: Theme
    public let configuration: GalleryConfiguration
    /// What the rendered site depends on besides the photos: the theme's fingerprint and the
    /// settings the pages show. Kept in the manifest; a start-up that finds another one rebuilds.
    public let fingerprint: String
    /// The bucket's pages' Content-Security-Policy: the same for every page, so made once.
    let pagePolicy: String
    /// The upload page's frame, per form URL (nil: the template allows none).
    private let uploadFrames = LastValueCache<String, PageFrame?>()

    public init(theme: Theme, configuration: GalleryConfiguration) {
        self.theme = theme
        self.configuration = configuration
        pagePolicy = ContentSecurityPolicy.generatedPages(configuration)
        let settings = [
            theme.fingerprint, String(GalleryManifest.version), String(configuration.pageSize),
            String(configuration.feedLength),
            configuration.siteTitle, configuration.galleryURL, configuration.publicURL,
            String(configuration.renditions.publicOriginals),
            configuration.renditions.widths.map(String.init).joined(separator: ","),
            // Where the uploader connects (the pages' CSP); its limits it asks the service for.
            configuration.uploadFormURL,
        ]
        fingerprint =
            String(theme.fingerprint.prefix(16)) + "-"
            + String(Hashing.sha256Hex(Array(settings.joined(separator: "\n").utf8)).prefix(16))
    }

    static let htmlType = "text/html; charset=utf-8"

    // MARK: Which files

    /// Every generated page of the gallery: photo pages, pages, feeds, the index last,
    /// so the index never links to a page that is not there yet.
    public func site(_ layout: SiteLayout) throws -> [GeneratedFile] {
        var files = try layout.shown(in: layout.photos.indices).map { try photoPage(at: $0, in: layout) }
        files += try (1...layout.pageCount).map { try page($0, in: layout) }
        return files + (try frontFiles(layout))
    }

    /// The files that change when the photos at `indices` (positions in `layout`) are added or
    /// retitled: their photo pages and their shown neighbours', the pages from theirs to the newest,
    /// the feeds and the index. For photos added at the end that is a constant handful, whatever the
    /// gallery's size. `inPlace`: the photos kept their places (retitled, taken off the gallery or
    /// put back), so only their own pages change, not the later ones. A gap has no photo page.
    public func files(touchedBy indices: [Int], in layout: SiteLayout, inPlace: Bool = false) throws
        -> [GeneratedFile]
    {
        guard let first = indices.min() else { return try frontFiles(layout) }
        var photoIndices = Set<Int>()
        for index in indices {
            photoIndices.formUnion(
                [layout.olderShown(than: index), index, layout.newerShown(than: index)].compactMap { $0 })
        }
        var files = try photoIndices.sorted().filter { layout.photos.indices.contains($0) && !layout.photos[$0].isGap }
            .map { try photoPage(at: $0, in: layout) }
        let pages: [Int]
        if inPlace {
            pages = Set(indices.map(layout.page(of:))).sorted()
        } else {
            // The page before the first touched one too: its "newer" link changes when a new page starts.
            pages = Array(max(1, layout.page(of: first) - 1)...layout.pageCount)
        }
        files += try pages.map { try page($0, in: layout) }
        return files + (try frontFiles(layout))
    }

    /// Feeds and index: rewritten on every change. (The manifest is the generator's: `ManifestStore`.)
    func frontFiles(_ layout: SiteLayout) throws -> [GeneratedFile] {
        [
            FeedRenderer(configuration: configuration).atom(layout),
            FeedRenderer(configuration: configuration).json(layout),
            try indexPage(layout),
        ]
    }

    // MARK: Contexts handed to the templates

    /// Pages the index links to by number (the newest; then the first): a constant list, so the
    /// index's size does not grow with the gallery.
    static let listedPages = 10

    /// Photos at the top of a list page that load at once: the first row on any screen.
    static let eagerPhotos = 6

    private func photoContext(_ photo: GalleryPhoto, root: String, eager: Bool = false) -> PhotoContext {
        let (shownDate, isoDate) = Self.displayDate(photo.uploadedAt)
        let renditions = photo.renditions
        // The grid's fallback: the first at least 640 wide; the photo page's: at least 1280.
        func atLeast(_ width: Int) -> PublishedImage? { renditions.first { $0.width >= width } ?? renditions.last }
        return PhotoContext(
            title: photo.title.text, pageURL: root + SiteLayout.photoPageKey(photo),
            src: atLeast(640).map { root + $0.key } ?? "", largeSrc: atLeast(1280).map { root + $0.key } ?? "",
            srcset: renditions.map { "\(root)\($0.key) \($0.width)w" }.joined(separator: ", "), width: photo.width,
            height: photo.height, placeholder: photo.placeholder, eager: eager,
            uploadedAt: shownDate, uploadedISO: isoDate,
            takenAt: photo.takenAt.map { $0.prefix(10) + " " + $0.dropFirst(11).prefix(5) }, takenISO: photo.takenAt,
            downloadURL: photo.original.map { root + $0.key })
    }

    private func listContext(
        _ layout: SiteLayout, photos range: Range<Int>, heading: String, root: String, isIndex: Bool, newer: String?,
        older: String?
    ) -> ListContext {
        func link(_ number: Int) -> PageLink { PageLink(number: number, url: root + SiteLayout.pageKey(number)) }
        let shown = layout.shown(in: range)
        return ListContext(
            contentSecurityPolicy: pagePolicy,
            siteTitle: configuration.siteTitle,
            pageTitle: isIndex ? configuration.siteTitle : "\(heading) · \(configuration.siteTitle)", heading: heading,
            root: root, uploader: uploaderContext(invite: nil),
            photos: shown.reversed().enumerated().map { position, index in
                photoContext(layout.photos[index], root: root, eager: position < Self.eagerPhotos)
            },
            hasPhotos: !shown.isEmpty,
            total: layout.shownCount, isIndex: isIndex,
            pages: (max(1, layout.pageCount - Self.listedPages + 1)...layout.pageCount).reversed().map(link),
            oldestPage: layout.pageCount > Self.listedPages ? link(1) : nil,
            hasPages: layout.photos.count > layout.pageSize, newerURL: newer, olderURL: older,
            atomURL: root + FeedRenderer.atomKey, jsonFeedURL: root + FeedRenderer.jsonKey)
    }

    /// The title form: where it posts, and the invite it carries. (Its script asks the service for
    /// the types and the size it takes, `UploadRules`: they are the service's settings, which the
    /// bucket's pages, also written by operators' commands, do not carry.)
    func uploaderContext(invite: String?) -> UploaderContext {
        UploaderContext(
            uploadURL: configuration.publicURL + "/upload", maximumTitleLength: Title.maximumLength, invite: invite,
            galleryURL: configuration.landingURL)
    }

    /// A size limit in MiB as pages show it: "20", "1.5".
    public static func shownMebibytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    /// A time as pages show it ("2026-12-01 23:48 UTC") and as ISO 8601 (for `datetime`).
    static func displayDate(_ date: Date) -> (shown: String, iso: String) {
        let iso = AmzDate(date).iso8601
        return (iso.prefix(10) + " " + iso.dropFirst(11).prefix(5) + " UTC", iso)
    }

    // MARK: Pages

    /// "Photos", "1 photo", "130 photos": the index's heading.
    static func photoCountHeading(_ count: Int) -> String {
        switch count {
        case 0: "Photos"
        case 1: "1 photo"
        default: "\(count) photos"
        }
    }

    /// `index.html`: the title form and the newest photos.
    public func indexPage(_ layout: SiteLayout) throws -> GeneratedFile {
        let range = layout.indexPhotos
        let older = range.lowerBound > 0 ? SiteLayout.pageKey(layout.page(of: range.lowerBound - 1)) : nil
        let context = listContext(
            layout, photos: range, heading: Self.photoCountHeading(layout.shownCount),
            root: "",
            isIndex: true, newer: nil, older: older)
        return GeneratedFile(
            key: "index.html", body: Data(try theme.render("index", context).utf8), contentType: Self.htmlType)
    }

    /// Page `number`, counted from the oldest photo.
    public func page(_ number: Int, in layout: SiteLayout) throws -> GeneratedFile {
        let range = layout.photos(onPage: number)
        let root = "../"
        let heading =
            range.isEmpty ? "Photos" : "Photos \(range.lowerBound + 1)–\(range.upperBound)"
        let newer = number < layout.pageCount ? root + SiteLayout.pageKey(number + 1) : root + "index.html"
        let older = number > 1 ? root + SiteLayout.pageKey(number - 1) : nil
        let context = listContext(
            layout, photos: range, heading: heading, root: root, isIndex: false, newer: newer, older: older)
        return GeneratedFile(
            key: SiteLayout.pageKey(number), body: Data(try theme.render("page", context).utf8),
            contentType: Self.htmlType)
    }

    /// Photo `index`'s own page, linking to its newer and older neighbours and its page.
    public func photoPage(at index: Int, in layout: SiteLayout) throws -> GeneratedFile {
        let root = "../"
        let photo = layout.photos[index]
        let context = PhotoPageContext(
            contentSecurityPolicy: pagePolicy,
            siteTitle: configuration.siteTitle, pageTitle: "\(photo.title.text) · \(configuration.siteTitle)",
            root: root, photo: photoContext(photo, root: root, eager: true),
            newer: layout.newerShown(than: index).map { photoContext(layout.photos[$0], root: root) },
            older: layout.olderShown(than: index).map { photoContext(layout.photos[$0], root: root) },
            galleryURL: root + "index.html", pageURL: root + SiteLayout.pageKey(layout.page(of: index)),
            pageNumber: layout.page(of: index))
        return GeneratedFile(
            key: SiteLayout.photoPageKey(photo), body: Data(try theme.render("photo", context).utf8),
            contentType: Self.htmlType)
    }

    /// The upload page's paragraph with the uploader's manage link (escaped here: it fills a frame's slot).
    static func manageParagraph(_ url: String) -> String {
        let escaped = MarkupEscaping.escape(url)
        return #"<p class="manage-link">Keep this link to remove your photo yourself within 24 hours: <a href=""#
            + escaped + #"">"# + escaped + "</a></p>"
    }

    /// `<input type="hidden">` for every field, in order, names and values escaped.
    static func hiddenInputs(_ fields: [PresignedPost.Field]) -> String {
        var html = ""
        html.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 48 })
        for (index, field) in fields.enumerated() {
            // One append at a time, into the reserved string: `a + b + c` would build temporaries.
            if index > 0 { html += "\n    " }
            html += #"<input type="hidden" name=""#
            html += MarkupEscaping.escape(field.name)
            html += #"" value=""#
            html += MarkupEscaping.escape(field.value)
            html += #"">"#
        }
        return html
    }

    /// The page the service answers a title with: the signed upload form.
    ///
    /// Rendered from a `PageFrame` of the theme's template, made once per form URL, when the
    /// template allows one; in full otherwise.
    public func uploadPage(_ upload: PresignedUpload) throws -> String {
        let values = uploadPageValues(upload)
        let formURL = upload.form.url
        let frame = try uploadFrames.value(for: formURL) {
            try PageFrame.make(slotCount: values.count) { try renderUploadPage(formURL: formURL, values: $0) }
        }
        return try frame?.fill(values) ?? renderUploadPage(formURL: formURL, values: values)
    }

    /// What changes from one upload page to the next: the page title, the title, the signed fields
    /// (HTML), the expiry as shown and as ISO 8601, the manage link's paragraph (HTML).
    func uploadPageValues(_ upload: PresignedUpload) -> [String] {
        let expires = AmzDate(upload.expiresAt).iso8601
        return [
            "Upload “\(upload.title.text)” · \(configuration.siteTitle)", upload.title.text,
            Self.hiddenInputs(upload.form.post.fields), String(expires.dropFirst(11).prefix(5)) + " UTC", expires,
            upload.manageURL.map(Self.manageParagraph) ?? "",
        ]
    }

    /// The page `/uploaded` answers while the gallery does not show the photo yet (a rebuild is slow or
    /// failing): it says so, and the browser asks again after `reloadSeconds`.
    public func publishingPage(title: Title, reloadSeconds: Int) throws -> String {
        let context = PublishingPageContext(
            contentSecurityPolicy: pagePolicy,
            siteTitle: configuration.siteTitle, pageTitle: "Publishing “\(title.text)” · \(configuration.siteTitle)",
            root: configuration.galleryURL + "/", title: title.text, reloadSeconds: reloadSeconds,
            galleryURL: configuration.landingURL)
        return try theme.render("publishing", context)
    }

    /// A page with a heading and a message (plain text, escaped), linking to the gallery.
    public func noticePage(heading: String, message: String) throws -> String {
        let context = NoticePageContext(
            contentSecurityPolicy: pagePolicy,
            siteTitle: configuration.siteTitle, pageTitle: "\(heading) · \(configuration.siteTitle)",
            root: configuration.galleryURL + "/", heading: heading, message: message,
            galleryURL: configuration.landingURL)
        return try theme.render("notice", context)
    }

    /// "JPEG" for `image/jpeg`: how the type chooser names a media type.
    static func label(_ mediaType: String) -> String {
        mediaType.dropFirst("image/".count).uppercased().replacingOccurrences(of: "WEBP", with: "WebP")
    }

    /// The upload page in full, with `uploadPageValues`.
    func renderUploadPage(formURL: String, values: [String]) throws -> String {
        let context = UploadPageContext(
            contentSecurityPolicy: ContentSecurityPolicy.uploadPage(configuration, formURL: formURL),
            siteTitle: configuration.siteTitle, pageTitle: values[0], root: configuration.galleryURL + "/",
            title: values[1], action: formURL, signedFields: values[2],
            contentTypes: configuration.acceptedFormats.flatMap { format in
                format.mediaTypes.map { ContentTypeOption(value: $0, label: Self.label($0)) }
            },
            accept: configuration.acceptedFormats.flatMap(\.mediaTypes).joined(separator: ","),
            formats: EnglishList.or(configuration.acceptedFormats.map(\.label)), expiresAt: values[3],
            expiresISO: values[4],
            maximumMegabytes: Self.shownMebibytes(configuration.maximumUploadBytes),
            galleryURL: configuration.landingURL,
            manageLink: values[5])
        return try theme.render("upload", context)
    }
}
