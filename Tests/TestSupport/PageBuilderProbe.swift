public import GalleryKit

/// A page builder for tests of the scheduler: each pass is handed to a closure.
public struct PageBuilderProbe: PageBuilder {
    private let pass: @Sendable (RebuildWork) async throws -> Void

    /// `pass` runs for each rebuild pass (throw to fail it).
    public init(_ pass: @escaping @Sendable (RebuildWork) async throws -> Void) { self.pass = pass }

    public func run(_ work: RebuildWork) async throws { try await pass(work) }
    public func shows(key: String) async -> Bool { false }
}
