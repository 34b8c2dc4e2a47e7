import Foundation
import MultipartKit
public import NIOCore
public import SigV4

/// A browser POST upload read from its `multipart/form-data` body: the fields before `file`, and the file.
///
/// Fields after `file` are dropped unread, as S3 drops them.
public struct MultipartUpload: Sendable {
    /// The signed fields and the file's name and size.
    public var form: PostForm
    /// The file's bytes.
    public var file: ByteBuffer

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
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// The `name` and `filename` parameters of a part's Content-Disposition (quoted strings unescaped).
    static func disposition(_ header: String) -> (name: String?, fileName: String?) {
        var name: String?
        var fileName: String?
        var rest = Substring(header)
        // The first item is the disposition type ("form-data").
        guard let firstSemicolon = rest.firstIndex(of: ";") else { return (nil, nil) }
        rest = rest[rest.index(after: firstSemicolon)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            if key == "name" { name = value }
            if key == "filename" { fileName = value }
        }
        return (name, fileName)
    }

    /// Parses `body`; throws `PostUploadError` with S3's code for anything that is not a usable upload form.
    public static func parse(_ body: ByteBuffer, boundary: String) throws(PostUploadError) -> MultipartUpload {
        let parser = MultipartParser(boundary: boundary)
        var headers: [(String, String)] = []
        var content = ByteBuffer()
        var fields: [PresignedPost.Field] = []
        var file: (name: String?, body: ByteBuffer)?
        var problem: PostUploadError?

        parser.onHeader = { name, value in
            if file == nil { headers.append((name, value)) }
        }
        parser.onBody = { chunk in
            if file == nil { content.writeBuffer(&chunk) }
        }
        parser.onPartComplete = {
            defer {
                headers = []
                content = ByteBuffer()
            }
            guard file == nil, problem == nil else { return }
            let dispositionHeader = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            let (name, fileName) = disposition(dispositionHeader)
            guard let name, !name.isEmpty else {
                problem = .malformedRequest("A part has no Content-Disposition name.")
                return
            }
            if name == "file" {
                file = (fileName, content)
            } else {
                guard let value = content.readString(length: content.readableBytes), value.utf8.count <= 20_000 else {
                    problem = .malformedRequest("The field '\(name)' is not UTF-8 text or is too long.")
                    return
                }
                fields.append(.init(name, value))
            }
        }
        do {
            try parser.execute(body)
        } catch {
            throw .malformedRequest("The multipart body could not be parsed.")
        }
        if let problem { throw problem }
        guard let file else { throw .missingField("file") }
        return MultipartUpload(
            form: PostForm(fields: fields, fileName: file.name, fileSize: file.body.readableBytes), file: file.body)
    }
}
