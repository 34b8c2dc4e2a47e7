import Crypto
import Foundation
public import SigV4

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A browser POST upload into the local bucket while it arrives: its form already verified, its
/// bytes written to a private temporary file as they come (never held in memory), stored under its
/// key by `finish()` once the policy's size limits hold. Nothing is stored if it is dropped unfinished.
///
/// Used by one task at a time, like the request it belongs to.
public final class IncomingUpload {
    /// What the verified form asks the bucket to do.
    public let verified: VerifiedPost
    /// The bytes received so far.
    public private(set) var size = 0
    private let bucket: LocalBucket
    private let path: String
    private var descriptor: Int32
    private var digest = Insecure.MD5()

    init(bucket: LocalBucket, verified: VerifiedPost) throws {
        self.bucket = bucket
        self.verified = verified
        path = bucket.receivingFolder + "/" + UUID().uuidString
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError.lastCall("create \(path)") }
    }

    deinit { discard() }

    /// Appends the next bytes of the file; throws S3's `EntityTooLarge` as soon as the policy's
    /// limit is passed (and the partial file is deleted).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw ObjectStoreError.io("the upload was already finished or dropped") }
        do {
            size += bytes.count
            if size > verified.maximumFileSize { try verified.checkSize(size) }
            digest.update(bufferPointer: bytes)
            try DurableFile.writeAll(bytes, to: descriptor, path: path)
        } catch {
            discard()
            throw error
        }
    }

    /// Checks the complete file's size against the policy, flushes it, and stores it under the key.
    public func finish() throws -> StoredUpload {
        defer { discard() }
        guard descriptor >= 0 else { throw ObjectStoreError.io("the upload was already finished or dropped") }
        try verified.checkSize(size)
        guard fsync(descriptor) == 0 else { throw FileSystemError.lastCall("fsync \(path)") }
        let etag = "\"" + digest.finalize().hexString + "\""
        let contentType = verified.contentType.flatMap { $0.isEmpty ? nil : $0 } ?? "binary/octet-stream"
        let cacheControl = verified.storedHeaders.first { $0.name.lowercased() == "cache-control" }?.value
        try bucket.moveIn(path, key: verified.key, contentType: contentType, cacheControl: cacheControl, etag: etag)
        let redirect = verified.successActionRedirect.map { target in
            let query = [("bucket", bucket.bucket), ("key", verified.key), ("etag", etag)]
                .map { "\($0.0)=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
            return target + (target.contains("?") ? "&" : "?") + query
        }
        return StoredUpload(key: verified.key, etag: etag, redirect: redirect, status: verified.successActionStatus)
    }

    /// Drops the upload: the temporary file is deleted (a no-op once stored).
    public func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(path)
    }
}
