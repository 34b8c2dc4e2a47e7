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

    /// Parses `body`; throws `PostUploadError` with S3's code for anything that is not a usable upload form.
    public static func parse(_ body: ByteBuffer, boundary: String) throws(PostUploadError) -> MultipartUpload {
        // MultipartKit 4.7.1 traps (it does not throw) on an empty boundary and on a byte above 0x7F where it
        // expects a header name: both would take the whole service down, so neither reaches it.
        guard (1...200).contains(boundary.utf8.count) else {
            throw .malformedRequest("The multipart boundary must be 1 to 200 characters.")
        }
        guard headerNamesAreASCII(body, boundary: boundary) else {
            throw .malformedRequest("A part header name is not ASCII.")
        }
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

    /// Whether every header name (the text before `:` on each header line, or the whole line without
    /// one) in every block that follows a `--boundary` delimiter is ASCII. Header values may hold UTF-8
    /// (browsers send file names that way); only names are checked. Errs on the side of refusing.
    static func headerNamesAreASCII(_ body: ByteBuffer, boundary: String) -> Bool {
        body.withUnsafeReadableBytes { headerNamesAreASCII($0, boundary: boundary) }
    }

    /// Linear: every line is read once. Every delimiter counts, wherever it stands (MultipartKit takes
    /// one after a preamble with no line break, so the scan must too), but one that falls among header
    /// lines already read has nothing new to show. (Reading from just after each delimiter to its
    /// headers again re-read the rest of the line for every `--a` in a body of them: quadratic,
    /// minutes of CPU for 2 MB before any signature was checked.)
    private static func headerNamesAreASCII(_ bytes: UnsafeRawBufferPointer, boundary: String) -> Bool {
        let delimiter = Array(("--" + boundary).utf8)
        var start = 0
        var readUpTo = 0
        while let found = firstIndex(of: delimiter, in: bytes, from: start) {
            start = found + 1
            if found < readUpTo { continue }
            // Skip the rest of the delimiter line, then read header lines up to the empty one.
            guard var line = nextLine(in: bytes, from: found + delimiter.count) else { return true }
            while line < bytes.count {
                let end = nextLine(in: bytes, from: line).map { $0 - 2 } ?? bytes.count
                if end == line {  // the empty line: the headers are over
                    line += 2
                    break
                }
                let name = bytes[line..<end].prefix { $0 != UInt8(ascii: ":") }
                if name.contains(where: { $0 >= 0x80 }) { return false }
                line = end + 2
            }
            readUpTo = line
        }
        return true
    }

    /// The index just after the next CRLF at or after `start`.
    private static func nextLine(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A { return index + 2 }
            index += 1
        }
        return nil
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        var index = start
        while index <= bytes.count - pattern.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                return index
            }
            index += 1
        }
        return nil
    }
}
