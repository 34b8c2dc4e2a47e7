public import Foundation
import SigV4

/// Where a bucket's requests go: AWS's regional endpoint (virtual-hosted style) or a custom S3-compatible
/// endpoint such as MinIO, Ceph, R2 or moto (path style unless told otherwise).
public struct S3Endpoint: Sendable, Hashable {
    public let bucket: String
    public let region: String
    /// `scheme://host[:port]` of a custom endpoint; nil for AWS.
    public let customEndpoint: URL?
    /// Address the bucket in the path (`/bucket/key`) instead of the host name.
    public let pathStyle: Bool

    /// Creates an endpoint; a custom endpoint defaults to path-style addressing.
    public init(bucket: String, region: String, customEndpoint: URL? = nil, pathStyle: Bool? = nil) {
        self.bucket = bucket
        self.region = region
        self.customEndpoint = customEndpoint
        self.pathStyle = pathStyle ?? (customEndpoint != nil || bucket.contains("."))
    }

    /// The scheme and authority requests go to, with the bucket in the host when virtual-hosted.
    var origin: (scheme: String, host: String) {
        if let customEndpoint, let host = customEndpoint.host {
            let port = customEndpoint.port.map { ":\($0)" } ?? ""
            let scheme = customEndpoint.scheme ?? "https"
            return (scheme, pathStyle ? host + port : "\(bucket).\(host)\(port)")
        }
        let host = "s3.\(region).amazonaws.com"
        return ("https", pathStyle ? host : "\(bucket).\(host)")
    }

    /// The raw (unencoded) request path for `key`, or for the bucket itself when nil.
    func path(key: String?) -> String {
        let prefix = pathStyle ? "/\(bucket)" : ""
        guard let key else { return prefix.isEmpty ? "/" : prefix }
        return prefix + "/" + key
    }

    /// The full URL for `key` (or the bucket) with `query`, encoded exactly as it is signed.
    func url(key: String?, query: [(name: String, value: String)] = []) -> String {
        let (scheme, host) = origin
        var url = "\(scheme)://\(host)" + URIEncoding.encode(path(key: key), keepSlash: true)
        if !query.isEmpty {
            url +=
                "?"
                + query.map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value))" }.joined(separator: "&")
        }
        return url
    }

    /// Where browsers post uploads: the bucket's URL.
    public var postURL: String {
        let (scheme, host) = origin
        return pathStyle ? "\(scheme)://\(host)/\(bucket)" : "\(scheme)://\(host)"
    }

    /// The public URL of the bucket's static website (AWS), or of its objects through the endpoint.
    public var websiteURL: String {
        if customEndpoint != nil { return postURL }
        // The oldest regions name their website endpoints with a dash, the rest with a dot.
        let dashed: Set = [
            "us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
            "sa-east-1", "us-gov-west-1",
        ]
        let separator = dashed.contains(region) ? "-" : "."
        return "http://\(bucket).s3-website\(separator)\(region).amazonaws.com"
    }

    /// The host name and the endpoint of a service other than S3 (SNS, for one) in the same place.
    func serviceURL(_ service: String) -> String {
        if let customEndpoint, let host = customEndpoint.host {
            return "\(customEndpoint.scheme ?? "https")://\(host)\(customEndpoint.port.map { ":\($0)" } ?? "")/"
        }
        return "https://\(service).\(region).amazonaws.com/"
    }
}
