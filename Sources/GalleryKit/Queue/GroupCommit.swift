import Foundation

#if canImport(Glibc)
    import Glibc

    /// Linux's syncfs(2) (GNU extension, not in Swift's Glibc module): flushes one file system at once.
    @_silgen_name("syncfs")
    private func systemSyncfs(_ fd: Int32) -> Int32
#endif

/// Makes concurrent job writes durable together (group commit): every writer writes its temporary
/// file without flushing; one leader flushes the file system once, renames the whole batch into
/// place and flushes the folder once, then hands leadership to the next writer that arrived meanwhile.
/// A write is acknowledged only after the flush that covers it, so durability is unchanged while the
/// cost of a flush is shared by every request that is waiting.
actor GroupCommit {
    private let directory: String
    private var waiting: [(entry: Entry, continuation: CheckedContinuation<Role, any Error>)] = []
    private var leading = false

    struct Entry: Sendable {
        let temporary: String
        let final: String
    }

    private enum Role { case done, lead }

    init(directory: String) { self.directory = directory }

    /// Returns once `temporary` is durably renamed to `final`.
    func commit(temporary: String, final: String) async throws {
        let entry = Entry(temporary: temporary, final: final)
        if leading {
            let role = try await withCheckedThrowingContinuation { waiting.append((entry, $0)) }
            if role == .done { return }
        } else {
            leading = true
        }
        // Leader: this entry and everyone waiting now.
        let followers = waiting
        waiting = []
        let result = await Self.flush([entry] + followers.map(\.entry), directory: directory)
        for follower in followers {
            switch result {
            case .success: follower.continuation.resume(returning: .done)
            case .failure(let error): follower.continuation.resume(throwing: error)
            }
        }
        if waiting.isEmpty {
            leading = false
        } else {
            waiting.removeFirst().continuation.resume(returning: .lead)
        }
        try result.get()
    }

    /// One flush for the batch: file data, then the renames, then the folder.
    private nonisolated static func flush(_ entries: [Entry], directory: String) async -> Result<Void, any Error> {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(DurableFile.posixError("open \(directory)")) }
        defer { close(fd) }
        #if canImport(Glibc)
            let flushed = systemSyncfs(fd) == 0
        #else
            let flushed = fsync(fd) == 0
        #endif
        guard flushed else {
            for entry in entries { unlink(entry.temporary) }
            return .failure(DurableFile.posixError("flush \(directory)"))
        }
        for entry in entries where rename(entry.temporary, entry.final) != 0 {
            let error = DurableFile.posixError("rename to \(entry.final)")
            for other in entries { unlink(other.temporary) }
            return .failure(error)
        }
        guard fsync(fd) == 0 else { return .failure(DurableFile.posixError("fsync \(directory)")) }
        return .success(())
    }
}
