import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// File writes that are all-or-nothing: readers see the old file or the new one, never a torn one.
enum DurableFile {
    /// Writes `data` to a temporary file beside `path`, flushes it to disk, and renames it over `path`.
    /// With `syncDirectory`, the rename itself is flushed too, so the file survives a power cut.
    static func write(_ data: Data, to path: String, mode: mode_t = 0o644, syncDirectory: Bool = true) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/.tmp-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileSystemError.lastCall("create \(temporary)") }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            try writeAll(data, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw FileSystemError.lastCall("fsync \(temporary)") }
            closed = true
            guard close(fd) == 0 else { throw FileSystemError.lastCall("close \(temporary)") }
            guard rename(temporary, path) == 0 else { throw FileSystemError.lastCall("rename to \(path)") }
        } catch {
            unlink(temporary)
            throw error
        }
        if syncDirectory { try self.syncDirectory(directory) }
    }

    /// Creates `path` with `data` only if nothing is there yet; returns false when another writer was first.
    @discardableResult
    static func createExclusive(_ data: Data, at path: String, mode: mode_t) throws -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        let staging = directory + "/.tmp-" + UUID().uuidString
        try write(data, to: staging, mode: mode, syncDirectory: false)
        defer { unlink(staging) }
        if link(staging, path) != 0 {
            if errno == EEXIST { return false }
            throw FileSystemError.lastCall("link \(path)")
        }
        try syncDirectory(directory)
        return true
    }

    /// Writes every byte of `data` to `fd`, retrying short writes and interruptions.
    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { try writeAll($0, to: fd, path: path) }
    }

    /// Writes every byte of `buffer` to `fd`, retrying short writes and interruptions.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.lastCall("write \(path)")
            }
            offset += written
        }
    }

    /// Flushes a directory's entries (new names, removals) to disk.
    static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError.lastCall("open \(directory)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileSystemError.lastCall("fsync \(directory)") }
    }

    /// Removes `path`; true when it existed.
    @discardableResult
    static func remove(_ path: String) throws -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw FileSystemError.lastCall("remove \(path)")
    }
}
