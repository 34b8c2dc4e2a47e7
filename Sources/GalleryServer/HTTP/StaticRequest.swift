import Foundation
import HTTPTypes
import SigV4

/// How a static GET is answered, as S3 answers it: conditional requests (304) and one byte range
/// (206, or 416 past the end). Pure.
enum StaticRequest {
    /// What part of the object to send.
    enum Part: Equatable {
        case whole
        case part(ClosedRange<Int>)
        case unsatisfiable
    }

    /// Whether the client's copy is current: `If-None-Match` names the ETag (or `*`), or, without
    /// it, `If-Modified-Since` is not before the object's last change (to the second).
    static func isNotModified(_ headers: HTTPFields, etag: String, lastModified: Date) -> Bool {
        if let tags = headers[.ifNoneMatch] {
            return tags.split(separator: ",").contains {
                let tag = $0.trimmingCharacters(in: .whitespaces)
                return tag == "*" || tag == etag || tag == "W/" + etag
            }
        }
        guard let text = headers[.ifModifiedSince], let since = AmzDate(httpDate: text) else { return false }
        return AmzDate(lastModified) <= since
    }

    /// The part a `Range` header asks for in an object of `size` bytes: one `bytes=` range (first-last,
    /// first-, or -suffix); anything else (several ranges, another unit, nonsense) is the whole object,
    /// as S3 sends it.
    static func range(_ header: String?, size: Int) -> Part {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return .whole }
        let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else { return .whole }
        let first = Int(bounds[0])
        let last = Int(bounds[1])
        switch (bounds[0].isEmpty, bounds[1].isEmpty) {
        case (true, false):  // the last `n` bytes
            guard let count = last else { return .whole }
            guard count > 0, size > 0 else { return .unsatisfiable }
            return .part(max(0, size - count)...(size - 1))
        case (false, _):
            guard let start = first, start >= 0 else { return .whole }
            guard start < size else { return .unsatisfiable }
            if bounds[1].isEmpty { return .part(start...(size - 1)) }
            guard let end = last, end >= start else { return .whole }
            return .part(start...min(end, size - 1))
        default:
            return .whole
        }
    }
}
