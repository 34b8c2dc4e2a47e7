public import Foundation

/// A local copy of the manifest's part and archive files (`<jobs>/manifest-cache/`), shared by the
/// service and the CLI on one machine. A part's key is never written twice, so a copy is always the
/// part's bytes: a command that starts (`gallery remove`, say) reads the parts it already has from
/// disk instead of the bucket, and its work costs the same requests at 100 photos as at 100,000.
///
/// Only a cache: whatever fails here (a full disk, a missing folder) falls back to the bucket, and
/// what is read from it is checked as a read from the bucket is (counts, order, keys).
public struct PartFileCache: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// Most files kept: about 100 MB of parts at 100,000 photos.
    static let maximumFiles = 4096

    private func path(_ key: String) -> String? {
        guard GalleryManifest.isPartKey(key) else { return nil }
        return directory.path + "/" + key.dropFirst(GalleryManifest.partFolder.count)
    }

    /// The copy of `key`, when there is one.
    func read(_ key: String) -> Data? {
        path(key).flatMap { FileManager.default.contents(atPath: $0) }
    }

    /// Keeps a copy of `key`'s bytes (written whole, then renamed into place; not flushed: a copy lost
    /// in a power cut is read from the bucket again).
    func write(_ key: String, _ data: Data) {
        guard let path = path(key), !FileManager.default.fileExists(atPath: path) else { return }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Deletes the copy of `key` (one that did not decode).
    func remove(_ key: String) {
        if let path = path(key) { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Deletes the copies of files no version in `keep` names, once there are more than a version's worth.
    func prune(keeping keep: Set<String>) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path),
            names.count > keep.count + 16 || names.count > Self.maximumFiles
        else { return }
        let kept = Set(keep.map { String($0.dropFirst(GalleryManifest.partFolder.count)) })
        for name in names where name.hasSuffix(".json") && !kept.contains(name) {
            try? FileManager.default.removeItem(atPath: directory.path + "/" + name)
        }
    }
}
