/// What renders the gallery's pages and writes them into the bucket: `Generator`. The
/// `RebuildScheduler` runs its passes.
public protocol PageBuilder: Sendable {
    /// Renders and writes what `work` asks for: the pages a new photo touches, or everything.
    func run(_ work: RebuildWork) async throws
    /// Whether the manifest (and so the pages) holds the upload of `key`.
    func shows(key: String) async -> Bool
}
