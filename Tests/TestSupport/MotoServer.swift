public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A moto server (S3, SNS, IAM) on 127.0.0.1, started for one test and stopped by its PID.
public final class MotoServer: @unchecked Sendable {
    public let port: Int
    public let process: Process
    public let logFile: URL

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// `moto_server`: `$GALLERY_MOTO_SERVER`, else the peers venv's, else none.
    public static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["GALLERY_MOTO_SERVER"] { return path }
        let venv = Fixtures.repositoryRoot.appendingPathComponent(".build/peers-venv/bin/moto_server").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// Whether moto tests can run here.
    public static var isAvailable: Bool { executable.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false }

    /// On CI a missing moto is a failure, not a skip: tests run (and fail) there regardless.
    public static var shouldRun: Bool { isAvailable || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Starts moto and waits (bounded) until it answers; `environment` adds settings such as
    /// `INITIAL_NO_AUTH_ACTION_COUNT`.
    public init(environment: [String: String] = [:]) async throws {
        guard let executable = Self.executable, FileManager.default.isExecutableFile(atPath: executable) else {
            throw PythonPeer.Failure(
                description:
                    "moto_server is not installed: run the README's test command (.ci/test), which installs it.")
        }
        signal(SIGPIPE, SIG_IGN)
        port = try Fixtures.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", "\(port)"]
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "moto-\(port)-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        if try await PeerServer.waitUntilListening(port, process: process, seconds: 10) { return }
        stop()
        throw PythonPeer.Failure(
            description:
                "moto did not start on port \(port): \((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")")
    }

    /// Stops moto (by PID).
    public func stop() {
        guard process.isRunning else { return }
        // SIGKILL: children inherit the test runner's blocked signal mask, in which SIGTERM is blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A Python peer script run as a long-lived server (fake metadata service, fault proxy…), stopped by PID.
public final class PeerServer: @unchecked Sendable {
    public let port: Int
    public let process: Process
    public let output: Pipe

    /// Starts `Tests/Peers/<script> --port <free port> <arguments…>` and waits until it listens.
    public init(_ script: String, arguments: [String] = []) async throws {
        signal(SIGPIPE, SIG_IGN)
        port = try Fixtures.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [PythonPeer.python, PythonPeer.peersDirectory.appendingPathComponent(script).path, "--port", "\(port)"]
            + arguments
        output = Pipe()
        process.standardOutput = output
        try process.run()
        if try await Self.waitUntilListening(port, process: process, seconds: 5) { return }
        stop()
        throw PythonPeer.Failure(description: "\(script) did not start")
    }

    /// Waits (bounded) until `port` accepts connections; false when `process` died or time ran out.
    static func waitUntilListening(_ port: Int, process: Process, seconds: Int) async throws -> Bool {
        for _ in 0..<(seconds * 20) {
            if listening(port) { return true }
            guard process.isRunning else { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        guard process.isRunning else { return }
        // SIGKILL: children inherit the test runner's blocked signal mask, in which SIGTERM is blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}
