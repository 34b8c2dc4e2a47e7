import Crypto
import Foundation

/// The byte format of the queue's log segments. Pure: no I/O, so every byte is tested.
///
/// A segment is a run of records, then zeros (segments are allocated ahead). Each record is
///
///     0  "GQ"                     magic
///     2  kind                     1 queued, 2 removed
///     3  0                        reserved
///     4  payload length           UInt32, little-endian
///     8  checksum                 first 8 bytes of SHA-256 over bytes 2..<8 and the payload
///     16 payload
///
/// A queued payload is the creation and expiry times (the `Double` bit patterns, UInt64 little-endian,
/// so a job reads back exactly as it was written), the key's length (UInt32) and UTF-8 bytes, then the
/// title's UTF-8 bytes. A removed payload is the creation time of the job it removes, then the key.
/// A job is named by its key and creation time, so entries from several segments merge the same in
/// any order.
public enum JobLog {
    /// Bytes before a record's payload.
    public static let headerSize = 16
    /// The largest payload a reader accepts; a length above it marks damage, not a record.
    public static let maximumPayload = 64 * 1024
    static let magic: (UInt8, UInt8) = (0x47, 0x51)

    enum Kind: UInt8 {
        case queued = 1
        case removed = 2
    }

    /// Appends the record for `entry` to `bytes`.
    public static func encode(_ entry: JobLogEntry, into bytes: inout [UInt8]) {
        var payload: [UInt8] = []
        let kind: Kind
        switch entry {
        case .queued(let job):
            kind = .queued
            payload.reserveCapacity(20 + job.key.utf8.count + job.title.text.utf8.count)
            append(job.createdAt.timeIntervalSince1970.bitPattern, to: &payload)
            append(job.expiresAt.timeIntervalSince1970.bitPattern, to: &payload)
            append(UInt32(job.key.utf8.count), to: &payload)
            payload += job.key.utf8
            payload += job.title.text.utf8
        case .removed(let key, let createdAt):
            kind = .removed
            append(createdAt.timeIntervalSince1970.bitPattern, to: &payload)
            payload += key.utf8
        }
        let start = bytes.count
        bytes += [magic.0, magic.1, kind.rawValue, 0]
        append(UInt32(payload.count), to: &bytes)
        bytes += checksum(header: bytes[(start + 2)..<(start + 8)], payload: payload)
        bytes += payload
    }

    /// The record for `entry`.
    public static func encode(_ entry: JobLogEntry) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(entry, into: &bytes)
        return bytes
    }

    /// What follows the last whole record of a segment.
    public enum Ending: Sendable, Hashable {
        /// Nothing, or zeros: the end of what was written.
        case clean
        /// The start of a record, cut short, then zeros: a write still in progress, or one a crash interrupted.
        case torn
        /// Bytes that are no record: damage (or, in a segment still being written, a write in progress).
        case unreadable
    }

    /// What a read of a segment found.
    public struct Contents: Sendable, Hashable {
        /// The entries of every whole record, in order.
        public var entries: [JobLogEntry] = []
        /// Where the whole records end (relative to the bytes read): the next read starts here.
        public var end: Int = 0
        /// What follows them.
        public var ending: Ending = .clean
        /// With `salvaging`: whole records found after unreadable bytes (a sign of damage, not of a torn tail).
        public var salvaged = 0

        /// Whether the segment holds bytes that are neither records, zeros nor an interrupted write's tail.
        public var isDamaged: Bool { ending == .unreadable || salvaged > 0 }
    }

    /// Reads the records at the start of `bytes`.
    ///
    /// A reader of a segment that may still be written stops at the first unreadable byte and reads
    /// again from `end` later. With `salvaging` (only for a segment nobody writes any more), it also
    /// searches past unreadable bytes for further whole records, so damage in the middle of a segment
    /// loses only the damaged records.
    public static func decode(_ bytes: some RandomAccessCollection<UInt8>, salvaging: Bool = false) -> Contents {
        let bytes = Array(bytes)
        var contents = Contents()
        var offset = 0
        var broken = false
        while offset < bytes.count {
            if let (entry, length) = record(in: bytes, at: offset) {
                contents.entries.append(entry)
                offset += length
                if broken {
                    contents.salvaged += 1
                } else {
                    contents.end = offset
                }
                continue
            }
            if !broken {
                if bytes[offset...].allSatisfy({ $0 == 0 }) { return contents }
                broken = true
                contents.ending = isTorn(bytes, at: offset) ? .torn : .unreadable
                if !salvaging { return contents }
            }
            offset += 1
        }
        return contents
    }

    /// Whether the bytes at `offset` can be the start of a record cut short, then zeros: the first
    /// byte of the magic, and nothing but zeros past the extent the header gives (or past the header,
    /// if the cut fell inside the length).
    static func isTorn(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard bytes[offset] == magic.0 else { return false }
        var extent = offset + headerSize
        if bytes.count - offset >= 8 {
            let length = Int(readUInt32(bytes, at: offset + 4))
            guard length <= maximumPayload else { return false }
            extent += length
        }
        return extent >= bytes.count || bytes[extent...].allSatisfy { $0 == 0 }
    }

    /// The record starting at `offset`, with its length, if a whole valid one is there.
    static func record(in bytes: [UInt8], at offset: Int) -> (JobLogEntry, Int)? {
        guard bytes.count - offset >= headerSize, bytes[offset] == magic.0, bytes[offset + 1] == magic.1,
            let kind = Kind(rawValue: bytes[offset + 2]), bytes[offset + 3] == 0
        else { return nil }
        let length = Int(readUInt32(bytes, at: offset + 4))
        guard length <= maximumPayload, bytes.count - offset - headerSize >= length else { return nil }
        let payload = bytes[(offset + headerSize)..<(offset + headerSize + length)]
        guard
            bytes[(offset + 8)..<(offset + 16)].elementsEqual(
                checksum(header: bytes[(offset + 2)..<(offset + 8)], payload: payload))
        else { return nil }
        guard let entry = entry(kind, payload) else { return nil }
        return (entry, headerSize + length)
    }

    private static func entry(_ kind: Kind, _ payload: ArraySlice<UInt8>) -> JobLogEntry? {
        let start = payload.startIndex
        switch kind {
        case .queued:
            guard payload.count >= 20 else { return nil }
            let created = Date(timeIntervalSince1970: Double(bitPattern: readUInt64(payload, at: start)))
            let expires = Date(timeIntervalSince1970: Double(bitPattern: readUInt64(payload, at: start + 8)))
            let keyLength = Int(readUInt32(payload, at: start + 16))
            guard keyLength > 0, keyLength <= payload.count - 20,
                let key = utf8String(payload[(start + 20)..<(start + 20 + keyLength)]),
                let text = utf8String(payload[(start + 20 + keyLength)...]),
                let title = Title(tagValue: text), created.timeIntervalSince1970.isFinite,
                expires.timeIntervalSince1970.isFinite
            else { return nil }
            return .queued(Job(key: key, title: title, createdAt: created, expiresAt: expires))
        case .removed:
            guard payload.count > 8,
                let key = utf8String(payload[(start + 8)...])
            else { return nil }
            let created = Date(timeIntervalSince1970: Double(bitPattern: readUInt64(payload, at: start)))
            guard created.timeIntervalSince1970.isFinite else { return nil }
            return .removed(key: key, createdAt: created)
        }
    }

    private static func checksum(header: ArraySlice<UInt8>, payload: some Sequence<UInt8>) -> [UInt8] {
        var hash = SHA256()
        hash.update(data: Array(header))
        hash.update(data: Array(payload))
        return Array(hash.finalize().prefix(8))
    }

    private static func append(_ value: some FixedWidthInteger, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    private static func readUInt32<C: RandomAccessCollection<UInt8>>(_ bytes: C, at index: Int) -> UInt32
    where C.Index == Int {
        readInteger(bytes, at: index)
    }

    private static func readUInt64<C: RandomAccessCollection<UInt8>>(_ bytes: C, at index: Int) -> UInt64
    where C.Index == Int {
        readInteger(bytes, at: index)
    }

    /// The little-endian integer at `index` (an index of `bytes`, not an offset from its start).
    private static func readInteger<T: FixedWidthInteger & UnsignedInteger, C: RandomAccessCollection<UInt8>>(
        _ bytes: C, at index: Int
    ) -> T where C.Index == Int {
        var value: T = 0
        for byte in 0..<(T.bitWidth / 8) { value |= T(bytes[index + byte]) << (byte * 8) }
        return value
    }

    /// `bytes` as a string, if they are valid UTF-8.
    private static func utf8String(_ bytes: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }
}
