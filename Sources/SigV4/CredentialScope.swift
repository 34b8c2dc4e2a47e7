import Crypto
import Foundation

/// The credential scope `date/region/service/aws4_request` that a SigV4 signature is bound to.
public struct CredentialScope: Sendable, Hashable, CustomStringConvertible {
    /// `yyyyMMdd`.
    public let dateStamp: String
    public let region: String
    public let service: String

    /// Creates a scope for the day `date` falls on (UTC).
    public init(date: AmzDate, region: String, service: String = "s3") {
        self.init(dateStamp: date.dateStamp, region: region, service: service)
    }

    /// Creates a scope from its parts as they appear in a credential string.
    public init(dateStamp: String, region: String, service: String = "s3") {
        self.dateStamp = dateStamp
        self.region = region
        self.service = service
    }

    public var description: String { "\(dateStamp)/\(region)/\(service)/aws4_request" }
}
