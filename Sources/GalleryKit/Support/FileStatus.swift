import CFileStatus
import Foundation

/// What `stat` says of a file: the fields the package reads, in one place (through `CFileStatus`,
/// whose header says why).
struct FileStatus: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let isDirectory: Bool
    let isRegularFile: Bool
    /// The last modification, in seconds and nanoseconds since 1970.
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// The status of the file at `path` (following a symbolic link); nil when there is none.
    init?(path: String) {
        var status = file_status()
        guard file_status_of_path(path, 1, &status) == 0 else { return nil }
        self.init(status)
    }

    /// The status of the file at `path` itself, a symbolic link not followed; nil when there is none.
    init?(linkAt path: String) {
        var status = file_status()
        guard file_status_of_path(path, 0, &status) == 0 else { return nil }
        self.init(status)
    }

    /// The status of the open file `descriptor`; nil when it cannot be read.
    init?(descriptor: Int32) {
        var status = file_status()
        guard file_status_of_descriptor(descriptor, &status) == 0 else { return nil }
        self.init(status)
    }

    private init(_ status: file_status) {
        device = status.device
        inode = status.inode
        size = status.size
        isDirectory = status.is_directory != 0
        isRegularFile = status.is_regular_file != 0
        modifiedSeconds = Int(status.modified_seconds)
        modifiedNanoseconds = Int(status.modified_nanoseconds)
    }

    /// The last modification as a date.
    var modified: Date {
        Date(timeIntervalSince1970: TimeInterval(modifiedSeconds) + TimeInterval(modifiedNanoseconds) / 1e9)
    }
}
