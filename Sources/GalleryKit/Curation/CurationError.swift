/// Why an operator's action on a photo cannot be done.
public enum CurationError: Error, Equatable, CustomStringConvertible {
    /// The text names no upload key or photo id.
    case notAnUpload(String)
    /// Nothing is known of the upload: no photo, no upload, no job.
    case unknown(String)
    /// The action needs a photo in another standing (unhide needs a hidden one, say).
    case wrongStanding(String, expected: String)
    /// The bucket's pages were rendered with another theme or other settings than this command's.
    case otherSettings

    public var description: String {
        switch self {
        case .notAnUpload(let text):
            "'\(text)' is neither an upload key (incoming/…, as the presign answer names it) nor a photo id."
        case .unknown(let key): "There is no photo, upload or pending job for '\(key)'."
        case .wrongStanding(let key, let expected): "'\(key)' is not \(expected)."
        case .otherSettings:
            "The gallery's pages were made with another theme or other settings than this command's "
                + "(--site, --page-size, --feed-length, --site-title, --gallery-url, --public-url, --bucket, "
                + "--endpoint, --region, --path-style, --public-originals, --rendition-widths): give it the options the "
                + "service runs with."
        }
    }
}
