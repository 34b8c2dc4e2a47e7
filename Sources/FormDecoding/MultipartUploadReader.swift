import MultipartKit
public import NIOCore
public import SigV4

/// Reads a browser POST upload's `multipart/form-data` body as it arrives, in one pass, holding no
/// more than the current chunk and the fields before the file.
///
/// It reports the fields before `file` one by one, then the file's beginning (when the caller can
/// check the policy before a byte of the file is kept), its bytes chunk by chunk, and its end. Fields
/// after `file` are dropped unread, as S3 drops them.
public final class MultipartUploadReader {
    /// What one chunk of the body completed, in order.
    public enum Event: Equatable {
        /// A form field before the file.
        case field(PresignedPost.Field)
        /// The `file` part starts; the file name the browser sent, if any.
        case fileBegins(fileName: String?)
        /// The next bytes of the file.
        case fileBytes(ByteBuffer)
        /// The file is complete; nothing after it is read.
        case fileEnds
    }

    /// The longest form field value kept.
    public static let maximumFieldBytes = 20_000
    /// The most header lines one part may have.
    static let maximumHeaderLines = 32

    private enum Part {
        /// Reading the part's headers.
        case headers
        /// A form field's value so far.
        case field(name: String, value: [UInt8])
        case file
    }

    private let parser: MultipartParser
    private var guardRail: HeaderNameGuard
    private var headers: [(name: String, value: String)] = []
    private var part = Part.headers
    private var events: [Event] = []
    private var problem: PostUploadError?
    /// Whether the whole file has been read; the rest of the body need not be.
    public private(set) var fileEnded = false

    /// A reader for a body whose Content-Type names `boundary`.
    public init(boundary: String) throws(PostUploadError) {
        // MultipartKit traps on an empty boundary.
        guard (1...200).contains(boundary.utf8.count) else {
            throw .malformedRequest("The multipart boundary must be 1 to 200 characters.")
        }
        parser = MultipartParser(boundary: boundary)
        guardRail = HeaderNameGuard(boundary: boundary)
        parser.onHeader = { [unowned self] name, value in
            guard problem == nil, !fileEnded, case .headers = part else { return }
            guard headers.count < Self.maximumHeaderLines else {
                fail(.malformedRequest("A part has more than \(Self.maximumHeaderLines) header lines."))
                return
            }
            headers.append((name, value))
        }
        parser.onBody = { [unowned self] chunk in
            guard problem == nil, !fileEnded else { return }
            if case .headers = part { beginPart() }
            switch part {
            case .headers: break
            case .file: events.append(.fileBytes(chunk))
            case .field(let name, var value):
                guard value.count + chunk.readableBytes <= Self.maximumFieldBytes else {
                    fail(.malformedRequest("The field '\(name)' is longer than \(Self.maximumFieldBytes) bytes."))
                    return
                }
                value.append(contentsOf: chunk.readableBytesView)
                part = .field(name: name, value: value)
            }
        }
        parser.onPartComplete = { [unowned self] in
            guard problem == nil, !fileEnded else { return }
            if case .headers = part { beginPart() }
            switch part {
            case .headers: break
            case .file:
                events.append(.fileEnds)
                fileEnded = true
            case .field(let name, let value):
                let text = String(decoding: value, as: UTF8.self)
                guard text.utf8.elementsEqual(value) else {
                    fail(.malformedRequest("The field '\(name)' is not UTF-8 text."))
                    return
                }
                events.append(.field(.init(name, text)))
            }
            headers = []
            part = .headers
        }
    }

    /// Reads the next chunk of the body; returns the events it completed. Throws `PostUploadError`
    /// with S3's code for anything that cannot be a usable upload form.
    public func read(_ chunk: ByteBuffer) throws(PostUploadError) -> [Event] {
        if let problem { throw problem }
        guard !fileEnded else { return [] }
        guard chunk.withUnsafeReadableBytes({ guardRail.admits($0) }) else {
            throw .malformedRequest("A part header name is not ASCII.")
        }
        do {
            try parser.execute(chunk)
        } catch {
            // What follows the file is not read, as S3 does not read it; only a broken form counts.
            if !fileEnded { throw .malformedRequest("The multipart body could not be parsed.") }
        }
        if let problem, !fileEnded { throw problem }
        defer { events = [] }
        return events
    }

    /// Call at the end of the body: throws unless the file was read in full.
    public func finish() throws(PostUploadError) {
        if let problem { throw problem }
        guard fileEnded else { throw .missingField("file") }
    }

    /// The part's headers are complete: is it the file or a field?
    private func beginPart() {
        let disposition = headers.first { $0.name.lowercased() == "content-disposition" }?.value ?? ""
        let (name, fileName) = MultipartUpload.disposition(disposition)
        guard let name, !name.isEmpty else {
            fail(.malformedRequest("A part has no Content-Disposition name."))
            return
        }
        if name == "file" {
            part = .file
            events.append(.fileBegins(fileName: fileName))
        } else {
            part = .field(name: name, value: [])
        }
    }

    private func fail(_ error: PostUploadError) {
        if problem == nil { problem = error }
    }
}
