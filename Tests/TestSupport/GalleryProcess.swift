public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `gallery` executable run as a child process, stopped by its PID.
public final class GalleryProcess: @unchecked Sendable {
    public let process: Process
    public let stdin: Pipe
    public let stdout: Pipe
    public let stderrFile: URL

    /// The built executable: `$GALLERY_BIN`, else `.build/debug/gallery` in the repository.
    public static var executable: URL { built("gallery") }

    /// An executable of this package the tests run (`gallery`, `gallery-fuzz`): beside `$GALLERY_BIN`,
    /// else in `.build/debug/`. The one place tests find them.
    public static func built(_ name: String) -> URL {
        if let path = ProcessInfo.processInfo.environment["GALLERY_BIN"] {
            return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(name)
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/" + name)
    }

    /// Starts `gallery` with `arguments`; stderr goes to a file in `logDirectory`.
    public init(_ arguments: [String], logDirectory: URL, environment: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw PythonPeer.Failure(
                description: "\(Self.executable.path) is missing: build it first (`swift build`), or set GALLERY_BIN.")
        }
        // Writing to a child that was killed must fail with EPIPE, not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
        process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        stdin = Pipe()
        stdout = Pipe()
        stderrFile = logDirectory.appendingPathComponent("gallery-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    /// `gallery serve` in the embedded mode with its bucket and queue in `directory`, on `port`.
    public static func serveEmbedded(in directory: URL, port: Int, _ extra: [String] = []) throws -> GalleryProcess {
        try GalleryProcess(
            [
                "serve", "--port", "\(port)", "--local", directory.appendingPathComponent("bucket").path, "--jobs",
                directory.appendingPathComponent("jobs").path, "--site", Fixtures.site.path,
            ] + extra, logDirectory: directory)
    }

    public var pid: Int32 { process.processIdentifier }

    /// What the process wrote to stderr so far.
    public var log: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Sends `signal` to the process (by PID) and waits for it to end.
    public func stop(signal: Int32 = SIGTERM) {
        guard process.isRunning else { return }
        kill(pid, signal)
        process.waitUntilExit()
    }

    deinit { stop(signal: SIGKILL) }
}
