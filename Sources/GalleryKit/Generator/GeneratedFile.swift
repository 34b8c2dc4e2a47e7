public import Foundation
import ImageProcessing
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
