import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File operations on the queue's log segments (named by `SegmentNames`, in the queue folder).
enum SegmentFile {
    static let suffix = ".segment"

    /// Whether `name` is a segment's (temporary files start with a dot).
    static func isSegment(_ name: String) -> Bool { name.hasSuffix(suffix) && !name.hasPrefix(".") }

    /// The names of the segments in `directory`, oldest first.
    static func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter(isSegment).sorted()
    }

    /// Writes every byte of `bytes` to `fd` at `offset`.
    static func write(_ bytes: [UInt8], to fd: Int32, at offset: Int, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError.lastCall("write \(path)")
                }
                done += written
            }
        }
    }

    /// Up to `count` bytes of `fd` from `offset` (fewer at the end of the file).
    static func read(_ fd: Int32, at offset: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        bytes.withUnsafeMutableBytes { buffer in
            while done < count {
                let got = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0, errno == EINTR { continue }
                if got <= 0 { break }
                done += got
            }
        }
        bytes.removeLast(count - done)
        return bytes
    }

    /// The whole file at `fd`.
    static func readAll(_ fd: Int32) -> [UInt8] {
        guard let status = FileStatus(descriptor: fd) else { return [] }
        return read(fd, at: 0, count: Int(status.size))
    }

    /// Reads the whole records of a segment that may still be written, from `offset` on, in chunks
    /// that stop at the zeros after the last record. Returns the entries and where the next read starts.
    static func readNew(_ fd: Int32, from offset: Int) -> (entries: [JobLogEntry], next: Int) {
        var entries: [JobLogEntry] = []
        var next = offset
        var size = 4096
        let wholeRecord = JobLog.headerSize + JobLog.maximumPayload
        while true {
            let bytes = read(fd, at: next, count: size)
            let contents = JobLog.decode(bytes)
            entries += contents.entries
            next += contents.end
            if bytes.count < size { break }  // the end of the file
            switch contents.ending {
            case .clean where contents.end < bytes.count: return (entries, next)  // zeros: the end of the records
            case .clean: size = min(size * 2, 1 << 20)
            case .torn, .unreadable:
                // A record cut by the chunk's end is read whole next time; anything else is not readable yet.
                if bytes.count - contents.end >= wholeRecord { return (entries, next) }
                size = max(size, wholeRecord)
            }
        }
        return (entries, next)
    }

    /// Allocates `count` more bytes at `offset` (zeros when read).
    static func allocate(_ fd: Int32, at offset: Int, count: Int, path: String) throws {
        #if canImport(Glibc)
            let result = posix_fallocate(fd, off_t(offset), off_t(count))
            guard result == 0 else {
                errno = result
                throw FileSystemError.lastCall("allocate space for \(path)")
            }
        #else
            guard ftruncate(fd, off_t(offset + count)) == 0 else {
                throw FileSystemError.lastCall("allocate space for \(path)")
            }
        #endif
    }

    /// Flushes the data of `fd` (and the size, when it changed) to disk.
    static func syncData(_ fd: Int32, path: String) throws {
        #if canImport(Glibc)
            let result = fdatasync(fd)
        #else
            let result = fsync(fd)
        #endif
        guard result == 0 else { throw FileSystemError.lastCall("flush \(path)") }
    }
}
