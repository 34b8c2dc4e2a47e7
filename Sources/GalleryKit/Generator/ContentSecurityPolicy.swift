import Foundation

/// The Content-Security-Policy of the pages the gallery serves: what the theme needs and nothing else.
///
/// Generated pages (in the bucket, policy in a `<meta>` element since a static bucket cannot add
/// headers): the gallery's own styles, scripts and photos (and each photo's inlined `data:` preview,
/// and the `blob:` previews of photos being added), the title form posting to the service, and the
/// upload script's calls: the service and the bucket's POST endpoint.
/// The upload page (from the service, as a header too): additionally the theme's one script file, and
/// the form's post to the bucket with the redirects that follow it (bucket → `/uploaded` → gallery).
public enum ContentSecurityPolicy {
    /// For the bucket's pages: index, gallery pages and photo pages.
    public static func generatedPages(_ configuration: GalleryConfiguration) -> String {
        [
            "default-src 'none'",
            "img-src 'self' data: blob:",
            "style-src 'self'",
            "script-src " + configuration.galleryURL + "/assets/",
            "connect-src " + uploadConnections(configuration),
            "form-action " + origin(configuration.publicURL),
            "base-uri 'none'",
        ].joined(separator: "; ")
    }

    /// Where the upload script connects: the service (presign, confirm) and the bucket (the files).
    static func uploadConnections(_ configuration: GalleryConfiguration) -> String {
        origins([configuration.publicURL, configuration.uploadFormURL]).joined(separator: " ")
    }

    /// The origins of `urls`, each once, in order: a policy's source list, or CORS's allowed origins.
    public static func origins(_ urls: [String]) -> [String] {
        var unique: [String] = []
        for url in urls {
            let source = origin(url)
            if !unique.contains(source) { unique.append(source) }
        }
        return unique
    }

    /// For the upload page the service answers a title with; `formURL` is where the form posts.
    /// `asHeader` adds `frame-ancestors`, which browsers honour only in the header, not in `<meta>`.
    public static func uploadPage(_ configuration: GalleryConfiguration, formURL: String, asHeader: Bool = false)
        -> String
    {
        let gallery = origin(configuration.galleryURL)
        let targets = origins([formURL, configuration.publicURL, configuration.galleryURL])
        return [
            "default-src 'none'",
            "script-src " + configuration.galleryURL + "/assets/upload.js",
            "style-src " + configuration.galleryURL + "/assets/",
            "img-src " + gallery,
            "form-action " + targets.joined(separator: " "),
            "base-uri 'none'",
        ].joined(separator: "; ") + (asHeader ? "; frame-ancestors 'none'" : "")
    }

    /// For the pages the service answers to guests and operators (invite, review, manage): the
    /// gallery's styles, images from the gallery and from `imageOrigins` (where previews load), forms
    /// posting to the service only, never framed (the header's `frame-ancestors`). No scripts, but
    /// with `uploads` (the invite page): the theme's upload script, its `blob:` previews and its calls.
    public static func servicePages(
        _ configuration: GalleryConfiguration, imageOrigins: [String], uploads: Bool = false
    ) -> String {
        let images = origins([configuration.galleryURL, configuration.publicURL] + imageOrigins)
        let scripts =
            uploads
            ? [
                "script-src " + configuration.galleryURL + "/assets/uploader.js",
                "connect-src " + uploadConnections(configuration),
            ] : []
        return
            ([
                "default-src 'none'",
                "img-src " + images.joined(separator: " ") + (uploads ? " blob:" : ""),
                "style-src " + configuration.galleryURL + "/assets/",
            ] + scripts + [
                "form-action " + origin(configuration.publicURL),
                "base-uri 'none'",
            ]).joined(separator: "; ")
    }

    /// `scheme://host[:port]` of `url`, or the text itself when it is not an absolute URL.
    public static func origin(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host
        else { return url }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return scheme + "://" + hostPart + (components.port.map { ":\($0)" } ?? "")
    }
}
