import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The local bucket's listings: the sorted keys under a folder, walked once and kept while none of
/// its folders changed, so listing 100,000 keys page by page reads the folder once, not once a
/// page (which made a full rebuild quadratic in the gallery's size).
///
/// A listing is trusted while every folder it walked shows the same inode and modification time.
/// File systems stamp those times from a coarse clock (a few milliseconds), so a folder changed less
/// than a second before its walk could change again under the same stamp: such a listing is not kept.
final class ListingCache: Sendable {
    struct Stamp: Hashable {
        let inode: UInt64
        let seconds: Int
        let nanoseconds: Int
    }

    struct Listing: Sendable {
        /// Keys in UTF-8 byte order.
        let keys: [String]
        /// Every folder walked, with its stamp when the walk began.
        let folders: [(path: String, stamp: Stamp)]
    }

    private let listings = Mutex<[String: Listing]>([:])
    /// Folders (walk roots) kept at once.
    let capacity = 16

    /// The stamp of the folder at `path`; nil when there is none.
    static func stamp(of path: String) -> Stamp? {
        guard let status = FileStatus(path: path), status.isDirectory else { return nil }
        return Stamp(inode: status.inode, seconds: status.modifiedSeconds, nanoseconds: status.modifiedNanoseconds)
    }

    /// The sorted keys under `folder` (absolute path; keys start with `base`), from memory when no
    /// folder changed, else walked again. `include` decides which relative names are keys.
    func keys(under folder: String, base: String, now: Date, include: (String) -> Bool) -> [String] {
        if let kept = listings.withLock({ $0[folder] }),
            kept.folders.allSatisfy({ Self.stamp(of: $0.path) == $0.stamp })
        {
            return kept.keys
        }
        var keys: [String] = []
        var folders: [(String, Stamp)] = []
        Self.walk(folder, base: base, include: include, keys: &keys, folders: &folders)
        keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let quietSince = Int(now.timeIntervalSince1970) - 1
        // A folder that is not there (nothing to validate against) is walked again each time.
        if !folders.isEmpty, folders.allSatisfy({ $0.1.seconds < quietSince }) {
            listings.withLock { listings in
                if listings.count >= capacity { listings.removeAll() }
                listings[folder] = Listing(keys: keys, folders: folders)
            }
        }
        return keys
    }

    /// Collects the regular files under `folder`, depth first, and each folder's stamp (taken before
    /// its entries are read: a change during the walk shows as a newer stamp next time).
    private static func walk(
        _ folder: String, base: String, include: (String) -> Bool, keys: inout [String],
        folders: inout [(String, Stamp)]
    ) {
        guard let stamp = stamp(of: folder), let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        folders.append((folder, stamp))
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = folder + "/" + name
            let key = base.isEmpty ? name : base + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                guard let status = FileStatus(linkAt: path) else { continue }
                type = status.isDirectory ? Int32(DT_DIR) : status.isRegularFile ? Int32(DT_REG) : 0
            }
            if type == Int32(DT_DIR) {
                if include(key + "/") { walk(path, base: key, include: include, keys: &keys, folders: &folders) }
            } else if type == Int32(DT_REG), include(key) {
                keys.append(key)
            }
        }
    }
}

extension Array where Element == String {
    /// The first index whose element is not ordered before `bound` (UTF-8 byte order), in a sorted array.
    func firstIndex(notBefore bound: String, strictlyAfter: Bool = false) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            let element = self[middle].utf8
            let before =
                strictlyAfter
                ? !bound.utf8.lexicographicallyPrecedes(element)
                : element.lexicographicallyPrecedes(bound.utf8)
            if before { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
