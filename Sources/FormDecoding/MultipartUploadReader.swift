import MultipartKit
public import NIOCore
public import SigV4

/// Reads a browser POST upload's `multipart/form-data` body as it arrives, in one pass, holding no
/// more than the current chunk and the fields before the file.
///
/// It reports the fields before `file` one by one, then the file's beginning (when the caller can
/// check the policy before a byte of the file is kept), its bytes chunk by chunk, and its end. Fields
/// after `file` are dropped unread, as S3 drops them.
///
/// What comes before the file is bounded (field values, parts, header lines), and a trickle of small
/// chunks is read in pieces of at least `coalescedBytes`: MultipartKit copies a header or a value read so far each time it is
/// handed more, so a form trickled a byte at a time would cost time quadratic in its length. The
/// bounds do not depend on how the body is split into chunks.
public final class MultipartUploadReader {
    /// What one chunk of the body completed, in order.
    public enum Event: Equatable {
        /// A form field before the file.
        case field(PresignedPost.Field)
        /// The `file` part starts; the file name the browser sent, if any.
        case fileBegins(fileName: String?)
        /// The next bytes of the file (all of one chunk's, together).
        case fileBytes(ByteBuffer)
        /// The file is complete; nothing after it is read.
        case fileEnds
    }

    /// The longest form field value kept.
    public static let maximumFieldBytes = 20_000
    /// The most bytes all field values before the file may hold together.
    public static let maximumFormBytes = 64 * 1024
    /// The most parts before the file.
    static let maximumFields = 64
    /// Before the file, chunks smaller than `smallChunkBytes` are gathered into pieces of at least
    /// `coalescedBytes`.
    static let coalescedBytes = 4096
    static let smallChunkBytes = 512
    /// The most header lines one part may have.
    static let maximumHeaderLines = 32

    private enum Part {
        /// Reading the part's headers.
        case headers
        /// A form field; its value so far is in `fieldValue`.
        case field(name: String)
        case file
    }

    private let parser: MultipartParser
    private var guardRail: HeaderNameGuard
    private var headers: [(name: String, value: String)] = []
    private var part = Part.headers
    private var fieldValue: [UInt8] = []
    private var fileStarted = false
    private var formBytes = 0
    private var fieldCount = 0
    /// Bytes before the file not handed to the parser yet.
    private var gathered = ByteBuffer()
    private var events: [Event] = []
    private var fileBytes: ByteBuffer?
    private var problem: PostUploadError?
    /// Whether the whole file has been read; the rest of the body need not be.
    public private(set) var fileEnded = false

    /// A reader for a body whose Content-Type names `boundary`.
    public init(boundary: String) throws(PostUploadError) {
        // MultipartKit traps on an empty boundary.
        guard MultipartUpload.boundaryLengths.contains(boundary.utf8.count) else {
            throw .malformedRequest("The multipart boundary must be 1 to 70 characters.")
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
            case .file: fileBytes.append(chunk)
            case .field(let name):
                guard fieldValue.count + chunk.readableBytes <= Self.maximumFieldBytes else {
                    fail(.malformedRequest("The field '\(name)' is longer than \(Self.maximumFieldBytes) bytes."))
                    return
                }
                formBytes += chunk.readableBytes
                guard formBytes <= Self.maximumFormBytes else {
                    fail(.malformedRequest("The fields before the file hold more than \(Self.maximumFormBytes) bytes."))
                    return
                }
                fieldValue.append(contentsOf: chunk.readableBytesView)
            }
        }
        parser.onPartComplete = { [unowned self] in
            guard problem == nil, !fileEnded else { return }
            if case .headers = part { beginPart() }
            switch part {
            case .headers: break
            case .file:
                flushFileBytes()
                events.append(.fileEnds)
                fileEnded = true
            case .field(let name):
                let text = String(decoding: fieldValue, as: UTF8.self)
                guard text.utf8.elementsEqual(fieldValue) else {
                    fail(.malformedRequest("The field '\(name)' is not UTF-8 text."))
                    return
                }
                events.append(.field(.init(name, text)))
            }
            headers = []
            fieldValue = []
            part = .headers
        }
    }

    /// Reads the next chunk of the body; returns the events it completed. Throws `PostUploadError`
    /// with S3's code for anything that cannot be a usable upload form.
    public func read(_ chunk: ByteBuffer) throws(PostUploadError) -> [Event] {
        if let problem { throw problem }
        guard !fileEnded else { return [] }
        guard fileStarted else {
            // Before the file, small chunks (a trickle) are gathered into pieces the parser reads
            // without re-copying much; a chunk of a usual size is read at once.
            var chunk = chunk
            let small = chunk.readableBytes < Self.smallChunkBytes
            gathered.writeBuffer(&chunk)
            guard !small || gathered.readableBytes >= Self.coalescedBytes else { return [] }
            return try parseGathered()
        }
        return try parse(chunk)
    }

    /// Call at the end of the body: returns what the last bytes completed, and throws unless the file
    /// was read in full.
    public func finish() throws(PostUploadError) -> [Event] {
        let last = gathered.readableBytes > 0 ? try parseGathered() : []
        if let problem { throw problem }
        guard fileEnded else { throw .missingField("file") }
        return last
    }

    private func parseGathered() throws(PostUploadError) -> [Event] {
        let piece = gathered
        gathered = ByteBuffer()
        return try parse(piece)
    }

    private func parse(_ chunk: ByteBuffer) throws(PostUploadError) -> [Event] {
        switch chunk.withUnsafeReadableBytes({ guardRail.admits($0) }) {
        case .admitted: break
        case .nonASCIIName: throw .malformedRequest("A part header name is not ASCII.")
        case .longLine:
            throw .malformedRequest("A part header line is longer than \(HeaderNameGuard.maximumLineBytes) bytes.")
        }
        do {
            try parser.execute(chunk)
        } catch {
            // What follows the file is not read, as S3 does not read it; only a broken form counts.
            if !fileEnded { throw .malformedRequest("The multipart body could not be parsed.") }
        }
        if let problem, !fileEnded { throw problem }
        flushFileBytes()
        defer { events = [] }
        return events
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
            fileStarted = true
            events.append(.fileBegins(fileName: fileName))
        } else {
            fieldCount += 1
            guard fieldCount <= Self.maximumFields else {
                fail(.malformedRequest("The form has more than \(Self.maximumFields) fields before the file."))
                return
            }
            part = .field(name: name)
        }
    }

    /// One event for the file bytes one chunk brought (MultipartKit hands them over in many pieces).
    private func flushFileBytes() {
        if let bytes = fileBytes, bytes.readableBytes > 0 { events.append(.fileBytes(bytes)) }
        fileBytes = nil
    }

    private func fail(_ error: PostUploadError) {
        if problem == nil { problem = error }
    }
}

extension Optional where Wrapped == ByteBuffer {
    /// Appends `chunk`, starting a buffer when there is none.
    fileprivate mutating func append(_ chunk: ByteBuffer) {
        var chunk = chunk
        if self == nil {
            self = chunk
        } else {
            self!.writeBuffer(&chunk)
        }
    }
}
