import Foundation

/// The settings every part of the gallery shares.
public struct GalleryConfiguration: Sendable {
    /// Where visitors reach the service (the title form posts to `<publicURL>/upload`), without a trailing `/`.
    public var publicURL: String
    /// Where visitors see the gallery: the local server in embedded mode, the bucket's website in S3 mode.
    public var galleryURL: String
    /// Uploads land under this prefix; only keys under it are ever tagged or published.
    public var uploadPrefix: String = "photos/"
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
    /// The gallery's name, shown in page titles and headings.
    public var siteTitle: String = "BucketGallery"
    /// Where the browser lands after an upload: the gallery's front page.
    public var landingURL: String
    /// Cache-Control of uploaded photos: a key is never reused, so they never change.
    public var uploadCacheControl = "public, max-age=31536000, immutable"

    /// Creates a configuration; `galleryURL` defaults to `publicURL`.
    public init(publicURL: String, galleryURL: String? = nil) {
        let trimmed = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.publicURL = trimmed
        self.galleryURL = galleryURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? trimmed
        self.landingURL = self.galleryURL + "/"
    }

    /// Prefixes (ending in `/`) and keys that visitors read: uploads and everything the generator writes.
    public var publicPaths: [String] { [uploadPrefix] + Generator.outputPaths }

    /// Where the browser returns after an upload; pinned exactly in every policy.
    public var uploadedURL: String { publicURL + "/uploaded" }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
