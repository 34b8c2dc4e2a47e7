import Foundation

/// The gallery's photos as the manifest holds them: full parts of `partSize` photos counted from
/// the oldest, then the newest part, which new photos join until it is full and joins the archive.
///
/// Adding a photo changes the newest part (and, once in `partSize` uploads, the archive); a photo
/// older than the newest part's (from another writer, published late) or a retitled one changes the
/// part it belongs to. A changed part loses its key until it is written under a new one. Pure.
public struct ManifestParts: Sendable {
    /// Photos in a full part.
    public static let partSize = 100

    /// The full parts, oldest first.
    public private(set) var full: [ManifestPart]
    /// The part new photos join.
    public private(set) var newest: ManifestPart
    /// The archive naming `full`; nil when they changed since it was written (or there is none yet).
    public var archiveKey: String?
    /// Every photo, oldest first.
    public private(set) var photos: [GalleryPhoto]
    /// The part each photo is in (`full.count` for the newest part), by upload key.
    private var partOfKey: [String: Int]

    /// The parts as read back (full ones oldest first, then the newest).
    public init(full: [ManifestPart], newest: ManifestPart, archiveKey: String?) {
        self.full = full
        self.newest = newest
        self.archiveKey = archiveKey
        photos = full.flatMap(\.photos) + newest.photos
        partOfKey = [:]
        partOfKey.reserveCapacity(photos.count)
        shownCount = photos.count(where: { !$0.isGap })
        for (index, part) in (full + [newest]).enumerated() {
            for photo in part.photos { partOfKey[photo.key] = index }
        }
    }

    /// `photos` (oldest first) cut into parts from the oldest; a part holding the same photos as
    /// `previous`'s part at its place keeps its key (and the archive too when no full part changed).
    public init(chunking photos: [GalleryPhoto], reusing previous: ManifestParts? = nil) {
        let photos = photos.map(\.listed)
        var full: [ManifestPart] = []
        var start = 0
        while photos.count - start >= Self.partSize {
            let chunk = Array(photos[start..<start + Self.partSize])
            let index = full.count
            let same = previous.flatMap {
                index < $0.full.count && $0.full[index].photos == chunk ? $0.full[index] : nil
            }
            full.append(same ?? ManifestPart(photos: chunk))
            start += Self.partSize
        }
        let rest = Array(photos[start...])
        let newest = previous.flatMap { $0.newest.photos == rest ? $0.newest : nil } ?? ManifestPart(photos: rest)
        let archiveKept =
            previous.map { $0.full.count == full.count && zip($0.full, full).allSatisfy { $0.key == $1.key } } ?? false
        self.init(full: full, newest: newest, archiveKey: archiveKept ? previous?.archiveKey : nil)
    }

    /// Places of photos taken off the gallery.
    public var gapCount: Int { photos.count - shownCount }
    /// Photos shown.
    public private(set) var shownCount = 0

    /// Whether no upload key is listed twice.
    public var keysAreDistinct: Bool { partOfKey.count == photos.count }

    /// Whether the manifest lists the photo uploaded under `key`.
    public func contains(key: String) -> Bool { partOfKey[key] != nil }

    /// The position of the photo uploaded under `key` among `photos`.
    public func index(of key: String) -> Int? {
        guard let part = partOfKey[key] else { return nil }
        let offset = full.prefix(part).reduce(0) { $0 + $1.photos.count }
        let inPart = (part < full.count ? full[part] : newest).photos.firstIndex { $0.key == key }
        return inPart.map { offset + $0 }
    }

    /// The keys of the files this version of the manifest is made of (written ones).
    public var fileKeys: Set<String> {
        Set(([archiveKey, newest.key] + full.map(\.key)).compactMap { $0 })
    }

    /// Adds `changed` photos, or replaces those the manifest lists under the same key (as listed:
    /// without the upload's ETag).
    public mutating func apply(_ changed: [GalleryPhoto]) {
        for photo in changed { apply(photo.listed) }
    }

    private mutating func apply(_ photo: GalleryPhoto) {
        if let part = partOfKey[photo.key], let flat = index(of: photo.key) {
            let listed = photos[flat]
            if listed == photo { return }  // listed as it is: nothing to write
            if listed.uploadedAt == photo.uploadedAt {
                // Retitled, taken off or put back (or made anew at the same time): same place, same part.
                shownCount += (photo.isGap ? 0 : 1) - (listed.isGap ? 0 : 1)
                photos[flat] = photo
                update(part) { photos in
                    if let index = photos.firstIndex(where: { $0.key == photo.key }) { photos[index] = photo }
                }
                return
            }
            photos.remove(at: flat)
            if !listed.isGap { shownCount -= 1 }
            update(part) { $0.removeAll { $0.key == photo.key } }
        }
        if !photo.isGap { shownCount += 1 }
        // The part it belongs to: the newest, unless it is older than the last photo of the part before.
        var part = full.count
        while part > 0, full[part - 1].photos.last.map({ GalleryPhoto.oldestFirst(photo, $0) }) ?? true { part -= 1 }
        update(part) { $0.insert(photo, at: SiteLayout.insertionIndex(of: photo, in: $0)) }
        partOfKey[photo.key] = part
        photos.insert(photo, at: SiteLayout.insertionIndex(of: photo, in: photos))
        if newest.photos.count >= Self.partSize {
            full.append(newest)
            newest = ManifestPart()
            archiveKey = nil
        }
    }

    /// Changes the photos of part `index` (`full.count`: the newest), which then needs writing.
    private mutating func update(_ index: Int, _ change: (inout [GalleryPhoto]) -> Void) {
        if index < full.count {
            change(&full[index].photos)
            full[index].key = nil
            archiveKey = nil
        } else {
            change(&newest.photos)
            newest.key = nil
        }
    }

    /// Names the parts that changed, and the archive when it changed, with fresh keys: the files to
    /// write (parts first, the archive last), before a `gallery.json` naming them.
    mutating func nameChangedFiles() -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        for index in full.indices where full[index].key == nil {
            let key = GalleryManifest.freshKey("part")
            full[index].key = key
            files.append(Self.file(key, ManifestPart.encode(full[index].photos)))
        }
        if newest.key == nil, !newest.photos.isEmpty {
            let key = GalleryManifest.freshKey("part")
            newest.key = key
            files.append(Self.file(key, ManifestPart.encode(newest.photos)))
        }
        if archiveKey == nil, !full.isEmpty {
            let key = GalleryManifest.freshKey("archive")
            archiveKey = key
            files.append(Self.file(key, ManifestArchive.encode(archiveEntries)))
        }
        return files
    }

    private static func file(_ key: String, _ body: Data) -> GeneratedFile {
        GeneratedFile(key: key, body: body, contentType: "application/json")
    }

    /// The archive's entries for the full parts (each written, so named).
    var archiveEntries: [ManifestArchive.Entry] {
        full.map {
            ManifestArchive.Entry(url: $0.key ?? "", photos: $0.shownCount, gaps: $0.photos.count - $0.shownCount)
        }
    }
}
