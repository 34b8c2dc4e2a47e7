import Crypto
public import Foundation
public import SigV4

/// The embedded bucket: objects are files in a directory, their metadata and tags sit beside them
/// under `.gallery/`, which is never served and never listed.
///
/// Every write is atomic (temporary file, fsync, rename), so a crash leaves the old object or the new one.
public final class LocalBucket: ObjectStore {
    public let bucket: String
    /// The directory holding the objects.
    public let root: URL
    /// The URL browsers post uploads to (`<public-url>/bucket`).
    public let postURL: String
    /// The region the bucket pretends to be in; signatures are scoped to it.
    public let region: String
    /// The credentials uploads must be signed with.
    public let credentials: Credentials
    private let signer: RequestSigner
    /// The served objects' metadata, while their files are unchanged.
    private let servingCache = ServingCache()
    /// Sorted listings, while their folders are unchanged.
    private let listingCache = ListingCache()

    /// The private folder under `root`: metadata, credentials, temporary files.
    static let privateFolder = ".gallery"

    /// Opens (creating if needed) the bucket in `root`, with `credentials` or, when nil, a key pair
    /// generated once and kept in the bucket's private folder with mode 0600.
    public init(
        root: URL, bucket: String = "gallery", postURL: String, region: String = "us-east-1", credentials: Credentials?
    )
        throws
    {
        self.root = root.standardizedFileURL
        self.bucket = bucket
        self.postURL = postURL
        self.region = region
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(
                at: self.root.appendingPathComponent(Self.privateFolder + "/meta"), withIntermediateDirectories: true)
            for folder in ["receiving", "locks"] {
                try fileManager.createDirectory(
                    at: self.root.appendingPathComponent(Self.privateFolder + "/" + folder),
                    withIntermediateDirectories: true)
            }
        } catch {
            throw ObjectStoreError.io(
                "cannot create the local bucket at \(self.root.path): \(error.localizedDescription)")
        }
        Self.removeAbandonedUploads(in: self.root.path + "/\(Self.privateFolder)/receiving")
        let resolved = try credentials ?? Self.storedCredentials(in: self.root)
        self.credentials = resolved
        self.signer = RequestSigner(credentials: resolved, region: region)
    }

    // MARK: Keys and paths

    /// Throws unless `key` can name a file inside the bucket: no empty, `.` or `..` segments, no
    /// leading or trailing `/`, no NUL or backslash, not the private folder, at most 1024 bytes.
    public static func validate(key: String) throws(ObjectStoreError) {
        // By byte: it runs on every store call (the poller's HEADs included).
        let bytes = key.utf8
        guard !bytes.isEmpty, bytes.count <= 1024 else { throw .invalidKey(key, reason: "keys are 1 to 1024 bytes.") }
        guard !bytes.contains(0), !bytes.contains(UInt8(ascii: "\\")) else {
            throw .invalidKey(key, reason: "keys cannot hold NUL or backslash.")
        }
        let segments = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        // Reserved names compare in any case: on a case-insensitive volume (macOS, Docker Desktop)
        // `.GALLERY/credentials.json` is the private folder's file.
        func lowercased<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
            bytes.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
        }
        for segment in segments {
            guard !segment.isEmpty, !segment.elementsEqual(".".utf8), !segment.elementsEqual("..".utf8) else {
                throw .invalidKey(key, reason: "keys cannot hold empty, '.' or '..' path segments.")
            }
            guard !lowercased(segment.prefix(5)).elementsEqual(".tmp-".utf8) else {
                throw .invalidKey(key, reason: "'.tmp-' names are reserved for the bucket's own writes.")
            }
        }
        guard let first = segments.first, !lowercased(first).elementsEqual(privateFolder.utf8) else {
            throw .invalidKey(key, reason: "'\(privateFolder)/' is the bucket's private folder.")
        }
    }

    private func dataPath(_ key: String) -> String { root.path + "/" + key }
    private func metaPath(_ key: String) -> String { root.path + "/\(Self.privateFolder)/meta/" + key + ".json" }

    /// The file holding the object's bytes, for serving it; nil when there is no such object.
    public func fileURL(key: String) -> URL? {
        guard (try? Self.validate(key: key)) != nil else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataPath(key), isDirectory: &isDirectory), !isDirectory.boolValue
        else { return nil }
        return URL(fileURLWithPath: dataPath(key))
    }

    /// The object at `key` as the static file server serves it; nil when there is none. Its
    /// metadata comes from memory while the file is the same file (one `stat` a request).
    public func servedObject(key: String) throws -> ServedObject? {
        try Self.validate(key: key)
        let path = dataPath(key)
        guard let current = ServingCache.identity(of: path) else { return nil }
        if let cached = servingCache.object(for: key, identity: current) { return cached }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard let (identity, body) = ServingCache.read(descriptor) else { return nil }
        let meta = metadata(key)
        let modified = Date(
            timeIntervalSince1970: TimeInterval(identity.seconds) + TimeInterval(identity.nanoseconds) / 1e9)
        let object = ServedObject(
            path: path,
            head: ObjectHead(
                key: key, size: Int(identity.size), contentType: meta?.contentType ?? "binary/octet-stream",
                lastModified: modified, etag: meta?.etag ?? "\"\"", cacheControl: meta?.cacheControl),
            body: body)
        servingCache.store(object, for: key, identity: identity)
        return object
    }

    // MARK: Metadata

    struct Metadata: Codable, Equatable {
        var contentType: String
        var cacheControl: String?
        var etag: String
        var tags: [ObjectTag]
    }

    private func metadata(_ key: String) -> Metadata? {
        guard let data = FileManager.default.contents(atPath: metaPath(key)) else { return nil }
        return try? JSONDecoder().decode(Metadata.self, from: data)
    }

    private func writeMetadata(_ metadata: Metadata, key: String) throws {
        let path = metaPath(key)
        try createParent(of: path)
        try DurableFile.write(try JSONEncoder().encode(metadata), to: path, syncDirectory: false)
    }

    private func createParent(of path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw ObjectStoreError.invalidKey(
                String(path.dropFirst(root.path.count + 1)), reason: "a parent of this key is an object itself.")
        }
    }

    // MARK: ObjectStore

    public func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListPage {
        let after = continuationToken.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
        let directory = prefix.contains("/") ? String(prefix[..<prefix.lastIndex(of: "/")!]) : ""
        let start = directory.isEmpty ? root.path : root.path + "/" + directory
        // The private folder is never listed; other names must be keys (no `.tmp-…` leftovers).
        let keys = listingCache.keys(under: start, base: directory, now: Date()) { key in
            key.hasSuffix("/")
                ? key != Self.privateFolder + "/" : (try? Self.validate(key: key)) != nil
        }
        var index = keys.firstIndex(notBefore: prefix)
        if let after { index = Swift.max(index, keys.firstIndex(notBefore: after, strictlyAfter: true)) }
        var objects: [ObjectSummary] = []
        var last: String?
        while index < keys.count, objects.count < Swift.max(0, maxKeys), keys[index].utf8.starts(with: prefix.utf8) {
            let key = keys[index]
            index += 1
            last = key
            guard let head = try await head(key: key) else { continue }
            objects.append(ObjectSummary(key: key, size: head.size, lastModified: head.lastModified, etag: head.etag))
        }
        let more = index < keys.count && keys[index].utf8.starts(with: prefix.utf8)
        return ObjectListPage(
            objects: objects, nextContinuationToken: more ? last.map { Data($0.utf8).base64EncodedString() } : nil)
    }

    public func head(key: String) async throws -> ObjectHead? { try headSync(key: key) }

    private func headSync(key: String) throws -> ObjectHead? {
        try Self.validate(key: key)
        guard let status = FileStatus(path: dataPath(key)), status.isRegularFile else { return nil }
        let meta = metadata(key)
        return ObjectHead(
            key: key, size: Int(status.size), contentType: meta?.contentType ?? "binary/octet-stream",
            lastModified: status.modified, etag: meta?.etag ?? "\"\"", cacheControl: meta?.cacheControl)
    }

    public func read(key: String, range: Range<Int>?) async throws -> Data? {
        try Self.validate(key: key)
        guard let handle = FileHandle(forReadingAtPath: dataPath(key)) else { return nil }
        defer { try? handle.close() }
        do {
            guard let range else { return try handle.readToEnd() ?? Data() }
            try handle.seek(toOffset: UInt64(range.lowerBound))
            return try handle.read(upToCount: range.count) ?? Data()
        } catch {
            throw ObjectStoreError.io("read \(key): \(error)")
        }
    }

    public func readVersion(key: String) async throws -> (data: Data, etag: String)? {
        // The local bucket's ETag is the MD5 of the bytes: taken from the bytes read, it is theirs,
        // whatever a writer in flight has put in the metadata file already.
        guard let data = try await read(key: key, range: nil) else { return nil }
        return (data, "\"" + Insecure.MD5.hash(data: data).hexString + "\"")
    }

    public func tags(key: String) async throws -> [ObjectTag] {
        guard try await head(key: key) != nil else { throw ObjectStoreError.noSuchKey(key) }
        return metadata(key)?.tags ?? []
    }

    public func putTags(_ tags: [ObjectTag], key: String) async throws {
        try TagRules.validate(tags)
        guard let head = try await head(key: key) else { throw ObjectStoreError.noSuchKey(key) }
        var meta =
            metadata(key) ?? Metadata(contentType: head.contentType, cacheControl: nil, etag: head.etag, tags: [])
        meta.tags = tags
        try writeMetadata(meta, key: key)
    }

    /// Where private settings go (`settings/link-secret.json`, `settings/invites.json`, …).
    static let settingsFolder = "settings/"

    public func put(
        key: String, body: Data, contentType: String, cacheControl: String?, condition: WriteCondition?
    ) async throws -> String {
        let etag = "\"" + Insecure.MD5.hash(data: body).hexString + "\""
        let write = {
            let path = try self.prepareWrite(
                key: key, Metadata(contentType: contentType, cacheControl: cacheControl, etag: etag, tags: []))
            // Settings (the secret that signs links among them) are readable by this user only, as
            // the bucket's own credentials are.
            try DurableFile.write(body, to: path, mode: key.hasPrefix(Self.settingsFolder) ? 0o600 : 0o644)
        }
        guard let condition else {
            try write()
            return etag
        }
        // Compare and write under the key's lock, which every process sharing the folder takes for
        // a conditional write: S3's conditional PutObject, on one machine.
        try Self.validate(key: key)
        try await FileLock.holding(lockPath(key)) {
            let current = try headSync(key: key)?.etag
            switch condition {
            case .matches(let expected) where current == expected: break
            case .absent where current == nil: break
            default: throw ObjectStoreError.preconditionFailed(key)
            }
            try write()
        }
        return etag
    }

    /// The lock file a conditional write of `key` holds (named by a digest: keys may hold `/`).
    private func lockPath(_ key: String) -> String {
        root.path + "/\(Self.privateFolder)/locks/" + SHA256.hash(data: Data(key.utf8)).hexString.prefix(32)
    }

    /// Checks `key`, writes its metadata and makes its folder; returns the path its bytes go to.
    /// Metadata first: a reader that finds the bytes always finds their type.
    private func prepareWrite(key: String, _ metadata: Metadata) throws -> String {
        try Self.validate(key: key)
        try writeMetadata(metadata, key: key)
        let path = dataPath(key)
        try createParent(of: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ObjectStoreError.invalidKey(key, reason: "other objects' keys start with '\(key)/'.")
        }
        return path
    }

    /// Stores the complete, flushed file at `temporaryPath` (in `receivingFolder`) as `key`, by rename.
    func moveIn(_ temporaryPath: String, key: String, contentType: String, cacheControl: String?, etag: String)
        throws
    {
        let path = try prepareWrite(
            key: key, Metadata(contentType: contentType, cacheControl: cacheControl, etag: etag, tags: []))
        guard rename(temporaryPath, path) == 0 else { throw FileSystemError.lastCall("rename to \(path)") }
        try DurableFile.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Where uploads are written while they arrive, on the same volume as the objects (so storing
    /// one is a rename).
    var receivingFolder: String { root.path + "/\(Self.privateFolder)/receiving" }

    public func delete(key: String) async throws {
        try Self.validate(key: key)
        try DurableFile.remove(dataPath(key))
        try DurableFile.remove(metaPath(key))
    }

    public func presignPost(
        key: String, fields: [PresignedPost.Field], conditions: [PostPolicy.Condition], expiresIn: Int, now: Date
    ) async throws -> UploadForm {
        let post = PostPresigner(signer: signer).presign(
            bucket: bucket, key: key, fields: fields, conditions: conditions, expiresIn: expiresIn, now: now)
        return UploadForm(url: postURL, post: post)
    }

    // MARK: Credentials

    private static func storedCredentials(in root: URL) throws -> Credentials {
        let path = root.path + "/\(privateFolder)/credentials.json"
        struct Stored: Codable {
            var accessKeyID: String
            var secretAccessKey: String
        }
        if let data = FileManager.default.contents(atPath: path) {
            guard let stored = try? JSONDecoder().decode(Stored.self, from: data) else {
                throw ObjectStoreError.io("\(path) is not valid; delete it to make a new key pair.")
            }
            return Credentials(accessKeyID: stored.accessKeyID, secretAccessKey: stored.secretAccessKey)
        }
        let fresh = Stored(
            accessKeyID: "LOCAL" + randomString(length: 15, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
            secretAccessKey: randomString(
                length: 40, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
        // Exclusive create: when two processes race, both end up with the pair that landed first.
        try DurableFile.createExclusive(try JSONEncoder().encode(fresh), at: path, mode: 0o600)
        return try storedCredentials(in: root)
    }

    /// Deletes uploads a crashed process left half-received. Only old ones: another instance sharing
    /// the bucket may be receiving one now (an upload has `uploadReadTimeout`, five minutes, to arrive).
    private static func removeAbandonedUploads(in folder: String) {
        let fileManager = FileManager.default
        let cutoff = Date().addingTimeInterval(-3600)
        for name in (try? fileManager.contentsOfDirectory(atPath: folder)) ?? [] {
            let path = folder + "/" + name
            let modified = (try? fileManager.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            if let modified, modified < cutoff { try? fileManager.removeItem(atPath: path) }
        }
    }

    private static func randomString(length: Int, alphabet: String) -> String {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in characters[Int.random(in: 0..<characters.count, using: &generator)] })
    }
}
