import Foundation
import SigV4
import XMLCoder

/// S3's XML documents, decoded and encoded with XMLCoder.
enum S3XML {
    struct ListBucketResult: Decodable {
        struct Contents: Decodable {
            let key: String
            let lastModified: String
            let eTag: String?
            let size: Int
            enum CodingKeys: String, CodingKey {
                case key = "Key", lastModified = "LastModified", eTag = "ETag", size = "Size"
            }
        }
        let contents: [Contents]?
        let isTruncated: Bool?
        let nextContinuationToken: String?
        enum CodingKeys: String, CodingKey {
            case contents = "Contents", isTruncated = "IsTruncated", nextContinuationToken = "NextContinuationToken"
        }
    }

    struct Tagging: Codable {
        struct TagSet: Codable {
            struct Tag: Codable {
                let key: String
                let value: String
                enum CodingKeys: String, CodingKey {
                    case key = "Key", value = "Value"
                }
            }
            let tags: [Tag]?
            enum CodingKeys: String, CodingKey { case tags = "Tag" }
        }
        let tagSet: TagSet
        enum CodingKeys: String, CodingKey { case tagSet = "TagSet" }
    }

    struct ErrorDocument: Decodable {
        let code: String?
        let message: String?
        let requestId: String?
        enum CodingKeys: String, CodingKey {
            case code = "Code", message = "Message", requestId = "RequestId"
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = XMLDecoder()
        decoder.shouldProcessNamespaces = true
        decoder.trimValueWhitespaces = false
        return try decoder.decode(type, from: data)
    }

    static func encode<T: Encodable>(_ value: T, root: String) throws -> Data {
        let encoder = XMLEncoder()
        return try encoder.encode(value, withRootKey: root, header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }

    /// The date S3 writes in listings (`2009-10-12T17:50:30.000Z`).
    static func date(_ text: String) -> Date {
        AmzDate(iso8601: text)?.date ?? Date(timeIntervalSince1970: 0)
    }
}
