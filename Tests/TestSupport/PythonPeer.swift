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

    /// Runs `script` with `input` on stdin and returns its stdout; throws with its stderr when it fails.
    public static func run(_ script: String, input: Data = Data(), arguments: [String] = []) throws -> Data {
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
        guard process.terminationStatus == 0 else {
            throw Failure(
                description:
                    "\(script) exited with \(process.terminationStatus) (run the README's test command, which installs the Python peers): \(String(decoding: errors, as: UTF8.self))"
            )
        }
        return output
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
