public import Foundation

/// Runs the Python peers in `Tests/Peers` (botocore and friends), which the test command installs.
public enum PythonPeer {
    /// `Tests/Peers`, found from this file's path.
    public static let peersDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Peers")

    /// The interpreter: `$GALLERY_TEST_PYTHON`, else `python3` on the PATH.
    public static var python: String { ProcessInfo.processInfo.environment["GALLERY_TEST_PYTHON"] ?? "python3" }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// What a finished peer script left: its exit status and both outputs.
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: String
    }

    /// Runs `script` with `input` on stdin to the end, whatever its exit status.
    public static func execute(_ script: String, input: Data = Data(), arguments: [String] = []) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, peersDirectory.appendingPathComponent(script).path] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: output, stderr: String(decoding: errors, as: UTF8.self))
    }

    /// Runs `script` with `input` on stdin and returns its stdout; throws with its stderr when it fails.
    public static func run(_ script: String, input: Data = Data(), arguments: [String] = []) throws -> Data {
        let outcome = try execute(script, input: input, arguments: arguments)
        guard outcome.status == 0 else {
            throw Failure(
                description:
                    "\(script) exited with \(outcome.status) (run the README's test command, which installs the Python peers): \(outcome.stderr)"
            )
        }
        return outcome.stdout
    }

    /// Runs `script` with a JSON request and decodes its JSON answer.
    public static func json(_ script: String, request: [String: Any]) throws -> [String: Any] {
        let input = try JSONSerialization.data(withJSONObject: request)
        let output = try run(script, input: input)
        guard let object = try JSONSerialization.jsonObject(with: output) as? [String: Any] else {
            throw Failure(description: "\(script) printed no JSON object: \(String(decoding: output, as: UTF8.self))")
        }
        return object
    }
}
