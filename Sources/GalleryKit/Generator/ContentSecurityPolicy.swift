import Foundation

/// The Content-Security-Policy of the pages the gallery serves: what the theme needs and nothing else.
///
/// Generated pages (in the bucket, policy in a `<meta>` element since a static bucket cannot add
/// headers): the gallery's own styles and photos (and each photo's inlined `data:` preview), the
/// title form posting to the service, no scripts.
/// The upload page (from the service, as a header too): additionally the theme's one script file, and
/// the form's post to the bucket with the redirects that follow it (bucket → `/uploaded` → gallery).
public enum ContentSecurityPolicy {
    /// For the bucket's pages: index, gallery pages and photo pages.
    public static func generatedPages(_ configuration: GalleryConfiguration) -> String {
        [
            "default-src 'none'",
            "img-src 'self' data:",
            "style-src 'self'",
            "form-action " + origin(configuration.publicURL),
            "base-uri 'none'",
        ].joined(separator: "; ")
    }

    /// For the upload page the service answers a title with; `formURL` is where the form posts.
    /// `asHeader` adds `frame-ancestors`, which browsers honour only in the header, not in `<meta>`.
    public static func uploadPage(_ configuration: GalleryConfiguration, formURL: String, asHeader: Bool = false)
        -> String
    {
        let gallery = origin(configuration.galleryURL)
        let targets = [origin(formURL), origin(configuration.publicURL), gallery]
        var unique: [String] = []
        for target in targets where !unique.contains(target) { unique.append(target) }
        return [
            "default-src 'none'",
            "script-src " + configuration.galleryURL + "/assets/upload.js",
            "style-src " + configuration.galleryURL + "/assets/",
            "img-src " + gallery,
            "form-action " + unique.joined(separator: " "),
            "base-uri 'none'",
        ].joined(separator: "; ") + (asHeader ? "; frame-ancestors 'none'" : "")
    }

    /// For the pages the service answers to guests and operators (invite, review, manage): the
    /// gallery's styles, images from the gallery and from `imageOrigins` (where previews load), forms
    /// posting to the service only, no scripts, never framed (the header's `frame-ancestors`).
    public static func servicePages(_ configuration: GalleryConfiguration, imageOrigins: [String]) -> String {
        var images = [origin(configuration.galleryURL)]
        for source in [origin(configuration.publicURL)] + imageOrigins where !images.contains(source) {
            images.append(source)
        }
        return [
            "default-src 'none'",
            "img-src " + images.joined(separator: " "),
            "style-src " + configuration.galleryURL + "/assets/",
            "form-action " + origin(configuration.publicURL),
            "base-uri 'none'",
        ].joined(separator: "; ")
    }

    /// `scheme://host[:port]` of `url`, or the text itself when it is not an absolute URL.
    public static func origin(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host
        else { return url }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return scheme + "://" + hostPart + (components.port.map { ":\($0)" } ?? "")
    }
}
