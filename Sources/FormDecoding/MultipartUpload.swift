import Foundation
public import NIOCore
public import SigV4

/// A browser POST upload read whole from its `multipart/form-data` body: the fields before `file`,
/// and the file. The service streams uploads with `MultipartUploadReader` instead; this type also
/// holds the header parsing both share.
public struct MultipartUpload: Sendable {
    /// The signed fields and the file's name and size.
    public var form: PostForm
    /// The file's bytes.
    public var file: ByteBuffer

    /// How long a boundary may be: RFC 2046's 1 to 70 characters, for the route and the reader alike.
    public static let boundaryLengths = 1...70

    /// The boundary parameter of a `multipart/form-data` Content-Type, or nil for any other type.
    public static func boundary(fromContentType contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parameters.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            return boundaryLengths.contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// The `name` and `filename` parameters of a part's Content-Disposition (quoted strings unescaped).
    ///
    /// Reads Unicode scalars, not characters: a grapheme cluster can swallow a `;`, `=` or quote
    /// (U+070F joins what follows it), and the fields must be read as the browser wrote them.
    static func disposition(_ header: String) -> (name: String?, fileName: String?) {
        var name: String?
        var fileName: String?
        var rest = Substring(header).unicodeScalars
        func text(_ scalars: Substring.UnicodeScalarView) -> String {
            String(Substring(scalars)).trimmingCharacters(in: .whitespaces)
        }
        // The first item is the disposition type ("form-data").
        guard let firstSemicolon = rest.firstIndex(of: ";") else { return (nil, nil) }
        rest = rest[rest.index(after: firstSemicolon)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = text(rest[..<equals]).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = String.UnicodeScalarView()
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let scalar = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(scalar)
                        escaped = false
                    } else if scalar == "\\" {
                        escaped = true
                    } else if scalar == "\"" {
                        break
                    } else {
                        value.append(scalar)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = String.UnicodeScalarView(text(rest[..<end]).unicodeScalars)
                rest = rest[end...]
            }
            if key == "name" { name = String(value) }
            if key == "filename" { fileName = String(value) }
        }
        return (name, fileName)
    }

    /// Reads a whole body held in memory, `chunkSize` bytes at a time (tests and the fuzzer use it
    /// to check that where a body is split changes nothing); throws `PostUploadError` with S3's code
    /// for anything that is not a usable upload form.
    public static func parse(_ body: ByteBuffer, boundary: String, chunkSize: Int = .max) throws(PostUploadError)
        -> MultipartUpload
    {
        let reader = try MultipartUploadReader(boundary: boundary)
        var fields: [PresignedPost.Field] = []
        var fileName: String?
        var file = ByteBuffer()
        var rest = body
        func take(_ events: [MultipartUploadReader.Event]) {
            for event in events {
                switch event {
                case .field(let field): fields.append(field)
                case .fileBegins(let name): fileName = name
                case .fileBytes(var bytes): file.writeBuffer(&bytes)
                case .fileEnds: break
                }
            }
        }
        while rest.readableBytes > 0, !reader.fileEnded {
            take(try reader.read(rest.readSlice(length: min(max(1, chunkSize), rest.readableBytes))!))
        }
        take(try reader.finish())
        return MultipartUpload(
            form: PostForm(fields: fields, fileName: fileName, fileSize: file.readableBytes), file: file)
    }
}
