public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Small things many tests need: temporary folders, free ports, image bytes, multipart bodies.
public enum Fixtures {
    /// A 1×1 PNG (70 bytes).
    public static let png = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!
    /// A 1×1 red PNG: another image than `png`.
    public static let redPNG = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")!
    /// An HTML page behind a PNG signature: what a browser given `image/png;,text/html` would run.
    public static let pngHeadedHTML =
        Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data("<html><script>alert(1)</script>".utf8)
    /// An SVG with a script inside: must never be published.
    public static let svg = Data(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)

    /// The repository's root, found from this file's path.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The default theme.
    public static var site: URL { repositoryRoot.appendingPathComponent("site") }

    /// A new empty folder under the system's temporary folder.
    public static func temporaryDirectory(_ name: String = "gallery-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PythonPeer.Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw PythonPeer.Failure(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A `multipart/form-data` body with `fields` in order, then (if given) the file, then `after`.
    public static func multipart(
        fields: [(String, String)], file: Data?, fileName: String = "photo.png", fileType: String = "image/png",
        after: [(String, String)] = [], boundary: String = "----gallery-test-boundary-7MA4YWxkTrZu0gW"
    ) -> (body: Data, contentType: String) {
        var body = Data()
        func field(_ name: String, _ value: String) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, value) in fields { field(name, value) }
        if let file {
            body += Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: \(fileType)\r\n\r\n"
                    .utf8)
            body += file
            body += Data("\r\n".utf8)
        }
        for (name, value) in after { field(name, value) }
        body += Data("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    /// Every file under `directory` with its bytes, for "nothing changed" checks.
    public static func snapshot(_ directory: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return files }
        while let relative = enumerator.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: directory.path + "/" + relative),
                enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular
            {
                files[relative] = data
            }
        }
        return files
    }

    /// `signature` with its first character changed (to another base64url one): a tampered copy.
    public static func tampered(_ signature: String) -> String {
        (signature.first == "A" ? "B" : "A") + signature.dropFirst()
    }
}
