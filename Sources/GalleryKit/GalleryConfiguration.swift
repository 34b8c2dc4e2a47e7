import Foundation
public import ImageProcessing

/// The settings every part of the gallery shares.
public struct GalleryConfiguration: Sendable {
    /// Where visitors reach the service (the title form posts to `<publicURL>/upload`), without a trailing `/`.
    public var publicURL: String
    /// Where visitors see the gallery: the local server in embedded mode, the bucket's website in S3 mode.
    public var galleryURL: String
    /// Uploads land under this private prefix; only keys under it are ever processed, and nothing
    /// under it is ever public.
    public var uploadPrefix: String = "incoming/"
    /// Where `gallery setup` records the SNS topics whose notifications `/events` accepts (private).
    public var notificationTopicsKey: String = "settings/notification-topics.json"
    /// Which renditions are made, how large an image is decoded, whether stripped originals are public.
    public var renditions = RenditionSettings()
    /// The upload formats the installed libvips decodes (the upload form's `accept` and its text).
    public var acceptedFormats: [SourceFormat] = [.jpeg, .png, .webp, .gif]
    /// The largest upload the policy allows, in bytes.
    public var maximumUploadBytes: Int = 20 * 1024 * 1024
    /// How long a presigned upload policy stays valid.
    public var policyLifetime: Duration = .seconds(600)
    /// How much longer than its policy a job lives, so an upload that started just in time still gets its title.
    public var jobGracePeriod: Duration = .seconds(900)
    /// The most jobs the queue holds; further presigns are refused (503 with `Retry-After`) rather than fill the disk.
    public var maximumPendingJobs: Int = 10_000
    /// Photos per gallery page.
    public var pageSize: Int = 60
    /// Review before publishing: uploads are processed (renditions made, privately) but published
    /// only when an operator approves them.
    public var reviewUploads = false
    /// Photos in each feed (Atom and JSON Feed), newest first.
    public var feedLength: Int = 30
    /// The gallery's name, shown in page titles and headings.
    public var siteTitle: String = "BucketGallery"
    /// Where the browser lands after an upload: the gallery's front page.
    public var landingURL: String
    /// Where upload forms post: the bucket's POST endpoint (the local bucket's `/bucket` by default).
    /// The pages' upload script connects to it, so their Content-Security-Policy names its origin.
    public var uploadFormURL: String

    /// Creates a configuration; `galleryURL` defaults to `publicURL`.
    public init(publicURL: String, galleryURL: String? = nil) {
        let trimmed = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.publicURL = trimmed
        self.galleryURL = galleryURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? trimmed
        self.landingURL = self.galleryURL + "/"
        self.uploadFormURL = trimmed + "/bucket"
    }

    /// Prefixes (ending in `/`) and keys that visitors read: what the publisher and the generator
    /// write. Never the uploads, nor the photos' records.
    public var publicPaths: [String] {
        [SiteLayout.renditionFolder] + (renditions.publicOriginals ? [SiteLayout.originalFolder] : [])
            + Generator.outputPaths
    }

    /// Whether visitors may read `key`.
    public func isPublic(_ key: String) -> Bool {
        publicPaths.contains { $0.hasSuffix("/") ? key.hasPrefix($0) && key.count > $0.count : key == $0 }
    }

    /// Where the browser returns after an upload; pinned exactly in every policy.
    public var uploadedURL: String { publicURL + "/uploaded" }

    /// The origin of the gallery's pages when it is not the service's (the bucket serves them, in S3
    /// mode): their upload script calls the service from there, and the service answers CORS for it alone.
    public var crossOrigin: String? {
        let gallery = ContentSecurityPolicy.origin(galleryURL)
        return gallery == ContentSecurityPolicy.origin(publicURL) ? nil : gallery
    }
}
