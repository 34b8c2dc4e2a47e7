public import Foundation
import SigV4

/// A job file of the queue's earlier format: one small JSON document per job (`<sha256 of key>.job`).
/// The queue is a log now (`JobLog`); these are read once, to bring such a queue into the log.
///
/// Pure: no I/O here.
public enum JobRecord {
    /// The format version of those files.
    public static let version = 1

    /// Why a job file could not be read.
    public enum Problem: Error, Sendable, Hashable {
        case unreadable(String)
        case unsupportedVersion(Int)
    }

    struct Document: Decodable {
        var version: Int
        var key: String
        var title: String
        var createdAt: String
        var expiresAt: String
    }

    /// Decodes a job file; throws `Problem` for anything that is not a complete job file of that format.
    public static func decode(_ data: Data) throws(Problem) -> Job {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw .unreadable("not a job document")
        }
        guard document.version == version else { throw .unsupportedVersion(document.version) }
        guard let created = AmzDate(iso8601: document.createdAt), let expires = AmzDate(iso8601: document.expiresAt),
            let title = Title(tagValue: document.title), !document.key.isEmpty
        else { throw .unreadable("a field is missing or malformed") }
        return Job(key: document.key, title: title, createdAt: created.date, expiresAt: expires.date)
    }
}
