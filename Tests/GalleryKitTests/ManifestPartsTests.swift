import Foundation
import Testing

@testable import GalleryKit

/// The manifest's parts as pure arithmetic: which part a photo joins, when a part is full, what
/// needs writing again.
struct ManifestPartsTests {
    /// Photo `index`, as the manifest lists it (without the upload's ETag: what parts hold).
    static func photo(_ index: Int, title: String? = nil) throws -> GalleryPhoto {
        GalleryPhoto.sample(
            key: String(format: "incoming/p%05d", index), title: try Title(normalizing: title ?? "Photo \(index)"),
            uploadedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
        ).listed
    }

    /// Parts as they are once written: every part and the archive named.
    static func written(_ photos: [GalleryPhoto]) -> ManifestParts {
        var parts = ManifestParts(chunking: photos)
        _ = parts.nameChangedFiles()
        return parts
    }

    @Test func photosAreCutIntoFullPartsFromTheOldest() throws {
        let photos = try (0..<250).map { try Self.photo($0) }
        let parts = ManifestParts(chunking: photos)
        #expect(parts.full.map(\.photos.count) == [100, 100])
        #expect(parts.newest.photos.count == 50)
        #expect(parts.photos == photos)
        #expect(parts.index(of: "incoming/p00123") == 123)
        #expect(parts.contains(key: "incoming/p00249"))
        #expect(!parts.contains(key: "incoming/p00250"))
        let exact = ManifestParts(chunking: Array(photos.prefix(200)))
        #expect(exact.full.count == 2)
        #expect(exact.newest.photos.isEmpty)
    }

    @Test func aNewPhotoChangesOnlyTheNewestPartUntilItIsFull() throws {
        var parts = Self.written(try (0..<198).map { try Self.photo($0) })
        let archive = parts.archiveKey
        parts.apply([try Self.photo(198)])
        var files = parts.nameChangedFiles()
        #expect(files.map { $0.key.hasPrefix("manifest/part-") } == [true])
        #expect(parts.archiveKey == archive)

        parts.apply([try Self.photo(199)])  // the 100th of the newest part: it joins the archive
        files = parts.nameChangedFiles()
        #expect(files.map { String($0.key.prefix(14)) } == ["manifest/part-", "manifest/archi"])
        #expect(parts.full.count == 2)
        #expect(parts.newest.photos.isEmpty)
        #expect(parts.newest.key == nil)
        let archiveFile = try #require(files.last)
        let entries = try #require(ManifestArchive.decode(archiveFile.body))
        #expect(entries.map(\.photos) == [100, 100])
        #expect(entries.map(\.url) == parts.full.map(\.key))

        parts.apply([try Self.photo(200)])
        #expect(parts.nameChangedFiles().count == 1)
        #expect(parts.photos.map(\.key) == (0...200).map { String(format: "incoming/p%05d", $0) })
    }

    @Test func aLatePhotoOrARetitleChangesThePartItBelongsTo() throws {
        let all = try (0..<260).map { try Self.photo($0) }
        var parts = Self.written(all.filter { $0.key != "incoming/p00150" })
        let before = parts.full.map(\.key)
        // Published late by another writer: it belongs in the second full part.
        parts.apply([all[150]])
        #expect(parts.full[1].key == nil)
        #expect(parts.full[0].key == before[0])
        #expect(parts.archiveKey == nil)
        #expect(parts.photos == all)
        #expect(parts.index(of: "incoming/p00150") == 150)
        _ = parts.nameChangedFiles()

        let retitled = try Self.photo(20, title: "A new title")
        parts.apply([retitled])
        #expect(parts.full[0].key == nil)
        #expect(parts.full[0].photos.count == 100)
        #expect(parts.photos.count == 260)
        #expect(parts.photos[20] == retitled)
        #expect(parts.index(of: retitled.key) == 20)
    }

    /// A signal repeated for a photo already listed as it is writes nothing (before, its part got a new name).
    @Test func aPhotoListedAsItIsChangesNothing() throws {
        var parts = Self.written(try (0..<150).map { try Self.photo($0) })
        let keys = parts.fileKeys
        parts.apply([try Self.photo(20), try Self.photo(149)])
        #expect(parts.nameChangedFiles().isEmpty)
        #expect(parts.fileKeys == keys)
    }

    @Test func rechunkingKeepsTheKeysOfPartsThatHoldTheSamePhotos() throws {
        let photos = try (0..<250).map { try Self.photo($0) }
        let written = Self.written(photos)
        let same = ManifestParts(chunking: photos, reusing: written)
        #expect(same.fileKeys == written.fileKeys)
        // One photo gone from the second part: the parts from there on change, the first keeps its key.
        let fewer = ManifestParts(chunking: photos.filter { $0.key != "incoming/p00120" }, reusing: written)
        #expect(fewer.full[0].key == written.full[0].key)
        #expect(fewer.full[1].key == nil)
        #expect(fewer.newest.key == nil)
        #expect(fewer.archiveKey == nil)
    }
}

extension ManifestPartsTests {
    /// Found in review: a retitled photo was taken out and put back, and the last of a full part
    /// landed at the start of the next one (two parts and the archive rewritten, parts of 99 and 101).
    @Test func aRetitledPhotoKeepsItsPlaceInItsPart() throws {
        var parts = Self.written(try (0..<250).map { try Self.photo($0) })
        let second = parts.full[1].key
        let retitled = try Self.photo(99, title: "Renamed")
        parts.apply([retitled])
        #expect(parts.full.map(\.photos.count) == [100, 100])
        #expect(parts.full[0].photos.last == retitled)
        #expect(parts.full[1].key == second)
        #expect(parts.photos[99] == retitled)
    }
}
