import Crypto
public import Foundation
public import GalleryKit
import NIOHTTP1
public import SigV4

/// The object store on real S3 (or anything S3-compatible), over `S3Client`.
public final class S3Store: ObjectStore {
    public let client: S3Client
    public var bucket: String { client.endpoint.bucket }

    /// Creates a store for the client's bucket.
    public init(client: S3Client) {
        self.client = client
    }

    public func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListPage {
        var query: [(name: String, value: String)] = [
            ("list-type", "2"), ("prefix", prefix), ("max-keys", String(maxKeys)), ("encoding-type", "url"),
        ]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try await client.send("ListObjectsV2 \(prefix)", method: .GET, key: nil, query: query)
        let result = try S3XML.decode(S3XML.ListBucketResult.self, from: response.body)
        let objects = (result.contents ?? []).map {
            // encoding-type=url: keys arrive percent-encoded, so any character survives XML.
            ObjectSummary(
                key: URIEncoding.decode($0.key, plusAsSpace: true) ?? $0.key, size: $0.size,
                lastModified: S3XML.date($0.lastModified), etag: $0.eTag ?? "")
        }
        let next = result.isTruncated == true ? result.nextContinuationToken : nil
        return ObjectListPage(objects: objects, nextContinuationToken: next)
    }

    public func head(key: String) async throws -> ObjectHead? {
        let response = try await client.send("HeadObject \(key)", method: .HEAD, key: key, accept: [404])
        if response.status == 404 { return nil }
        let headers = response.headers
        return ObjectHead(
            key: key, size: Int(headers.first(name: "Content-Length") ?? "") ?? 0,
            contentType: headers.first(name: "Content-Type") ?? "binary/octet-stream",
            lastModified: headers.first(name: "Last-Modified").flatMap { AmzDate(httpDate: $0)?.date }
                ?? Date(timeIntervalSince1970: 0),
            etag: headers.first(name: "ETag") ?? "", cacheControl: headers.first(name: "Cache-Control"))
    }

    public func read(key: String, range: Range<Int>?) async throws -> Data? {
        var headers: [(name: String, value: String)] = []
        if let range {
            guard !range.isEmpty else { return Data() }
            headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)"))
        }
        let response = try await client.send(
            "GetObject \(key)", method: .GET, key: key, headers: headers, accept: [404, 416])
        switch response.status {
        case 404: return nil
        case 416: return Data()  // the range starts past the end: an empty (or short) object
        default: return response.body
        }
    }

    public func readVersion(key: String) async throws -> (data: Data, etag: String)? {
        let response = try await client.send("GetObject \(key)", method: .GET, key: key, accept: [404])
        guard response.status != 404 else { return nil }
        guard let etag = response.headers.first(name: "etag") else {
            throw ObjectStoreError.io("GetObject \(key) answered without an ETag")
        }
        return (response.body, etag)
    }

    public func tags(key: String) async throws -> [ObjectTag] {
        let response = try await client.send(
            "GetObjectTagging \(key)", method: .GET, key: key, query: [("tagging", "")], accept: [404])
        if response.status == 404 { throw ObjectStoreError.noSuchKey(key) }
        let tagging = try S3XML.decode(S3XML.Tagging.self, from: response.body)
        return (tagging.tagSet.tags ?? []).map { ObjectTag(key: $0.key, value: $0.value) }
    }

    public func putTags(_ tags: [ObjectTag], key: String) async throws {
        try TagRules.validate(tags)
        let document = S3XML.Tagging(
            tagSet: .init(tags: tags.map { .init(key: $0.key, value: $0.value) }))
        let body = try S3XML.encode(document, root: "Tagging")
        let response = try await client.send(
            "PutObjectTagging \(key)", method: .PUT, key: key, query: [("tagging", "")],
            headers: [("content-md5", S3Client.contentMD5(body)), ("content-type", "application/xml")], body: body,
            accept: [404])
        if response.status == 404 { throw ObjectStoreError.noSuchKey(key) }
    }

    public func put(
        key: String, body: Data, contentType: String, cacheControl: String?, condition: WriteCondition?
    ) async throws -> String {
        var headers: [(name: String, value: String)] = [
            ("content-type", contentType), ("content-md5", S3Client.contentMD5(body)),
        ]
        if let cacheControl { headers.append(("cache-control", cacheControl)) }
        switch condition {
        case .matches(let etag): headers.append(("if-match", etag))
        case .absent: headers.append(("if-none-match", "*"))
        case nil: break
        }
        // 412: the condition failed; 409: S3 saw a conflicting conditional write in flight (retry after re-reading).
        let response = try await client.send(
            "PutObject \(key)", method: .PUT, key: key, headers: headers, body: body,
            accept: condition == nil ? [] : [409, 412])
        if response.status == 409 || response.status == 412 { throw ObjectStoreError.preconditionFailed(key) }
        // The ETag S3 answers with (not always the MD5 of the bytes: SSE-KMS, for one).
        return response.headers.first(name: "etag") ?? "\"" + Insecure.MD5.hash(data: body).hexString + "\""
    }

    public func delete(key: String) async throws {
        _ = try await client.send("DeleteObject \(key)", method: .DELETE, key: key, accept: [404])
    }

    public func presignPost(
        key: String, fields: [PresignedPost.Field], conditions: [PostPolicy.Condition], expiresIn: Int, now: Date
    ) async throws -> UploadForm {
        let post = PostPresigner(signer: try await client.signer()).presign(
            bucket: bucket, key: key, fields: fields, conditions: conditions, expiresIn: expiresIn, now: now)
        return UploadForm(url: client.endpoint.postURL, post: post)
    }

    public func presignedGetURL(key: String, expiresIn: Int, now: Date) async throws -> String? {
        let endpoint = client.endpoint
        let query = try await client.signer().presignedQuery(
            method: "GET", host: endpoint.origin.host, path: endpoint.path(key: key), expiresIn: expiresIn, date: now)
        return endpoint.url(key: key, query: query)
    }
}
