import FormDecoding
import Foundation
import GalleryKit
import NIOCore
import SigV4

/// The parsers that read untrusted bytes, each as a fuzz target: feed it anything; it may reject the
/// input, never crash, and where a round trip exists it must hold.
enum FuzzTarget: String, CaseIterable {
    /// The title form body (`application/x-www-form-urlencoded`).
    case form
    /// The local bucket's `multipart/form-data` upload body; an optional first line `boundary=…`;
    /// read whole and in chunks.
    case multipart
    /// The POST policy verifier: first line the policy JSON, then `name=value` fields. The harness signs
    /// the policy with the test secret, so inputs reach the condition checks, not only the signature.
    case policy
    /// The `/events` body: S3, SNS and MinIO shapes.
    case events
    /// The title normaliser.
    case title
    /// The job queue's log segments (read from disk after crashes and damage), live and salvaging.
    case queue

    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let now = Date(timeIntervalSince1970: 1_764_000_000)
    static let verifier = PostPolicyVerifier(bucket: "gallery", region: "us-east-1") {
        $0 == "AKIDFUZZ" ? secret : nil
    }

    /// Runs one input; true when the parser accepted it (for the replay's figures).
    @discardableResult
    func run(_ data: Data) -> Bool {
        switch self {
        case .form:
            guard let pairs = FormURLEncoded.decode(String(decoding: data, as: UTF8.self)) else { return false }
            for pair in pairs where pair.name.contains("&") && !data.contains(UInt8(ascii: "%")) {
                fatalError("a name holds a raw separator without an escape in the input")
            }
            return true
        case .multipart:
            var body = data
            var boundary = "fuzz-boundary"
            if let newline = data.firstIndex(of: 0x0A), data.starts(with: Data("boundary=".utf8)) {
                let header = String(decoding: data[data.startIndex..<newline], as: UTF8.self)
                boundary = MultipartUpload.boundary(fromContentType: "multipart/form-data; " + header) ?? boundary
                body = data[(newline + 1)...]
            }
            // The service reads bodies as they arrive, in chunks of any size: read this one whole and
            // split (at a size the input picks), and the two must agree whenever the whole one is a form.
            let chunkSize = 1 + Int(data.last ?? 0) % 61
            let split = try? MultipartUpload.parse(ByteBuffer(bytes: body), boundary: boundary, chunkSize: chunkSize)
            guard let upload = try? MultipartUpload.parse(ByteBuffer(bytes: body), boundary: boundary) else {
                return false
            }
            guard upload.form.fileSize == upload.file.readableBytes else {
                fatalError("the form's file size disagrees with the file")
            }
            guard let split, split.form == upload.form, split.file == upload.file else {
                fatalError("reading the body in chunks of \(chunkSize) bytes changed what was read")
            }
            return true
        case .policy:
            let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
            let policyJSON = lines.first.map { Data($0) } ?? Data()
            let policy = policyJSON.base64EncodedString()
            let date = AmzDate(Self.now.addingTimeInterval(-60))
            let scope = CredentialScope(date: date, region: "us-east-1")
            var fields = [
                PresignedPost.Field("x-amz-algorithm", "AWS4-HMAC-SHA256"),
                PresignedPost.Field("x-amz-credential", "AKIDFUZZ/" + scope.description),
                PresignedPost.Field("x-amz-date", date.timestamp),
                PresignedPost.Field("policy", policy),
                PresignedPost.Field(
                    "x-amz-signature", SigningKey(secretAccessKey: Self.secret, scope: scope).signature(for: policy)),
            ]
            for line in lines.dropFirst() {
                let text = String(decoding: line, as: UTF8.self)
                let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                fields.append(.init(String(parts[0]), parts.count > 1 ? String(parts[1]) : ""))
            }
            let form = PostForm(fields: fields, fileName: "photo.png", fileSize: lines.count * 7)
            guard let verified = try? Self.verifier.verify(form, now: Self.now) else { return false }
            guard !verified.key.isEmpty, verified.key.utf8.count <= 1024 else {
                fatalError("the verifier accepted an impossible key")
            }
            return true
        case .events:
            return (try? EventDelivery.parse(data)) != nil
        case .title:
            guard let title = try? Title(normalizing: String(decoding: data, as: UTF8.self)) else { return false }
            // Normalising is idempotent, fits the limit, and survives the trip through an S3 tag.
            guard (try? Title(normalizing: title.text)) == title, title.text.count <= Title.maximumLength,
                Title(tagValue: title.text) == title
            else { fatalError("title normalisation is not stable for \(title.text.debugDescription)") }
            return true
        case .queue:
            let live = JobLog.decode(data)
            let salvaged = JobLog.decode(data, salvaging: true)
            // The whole records read back as the very bytes they came from; salvaging only adds records.
            guard live.entries.flatMap(JobLog.encode) == Array(data.prefix(live.end)), live.end <= data.count,
                salvaged.end == live.end, salvaged.entries.starts(with: live.entries),
                live.ending != .clean || data.dropFirst(live.end).allSatisfy({ $0 == 0 })
            else { fatalError("the queue log reader and writer disagree") }
            return !live.entries.isEmpty
        }
    }
}
