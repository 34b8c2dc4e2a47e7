import Crypto
public import Foundation
import SigV4

/// The on-disk form of a job: one small JSON document per file, versioned.
///
/// Pure: no I/O here, so the format is tested byte for byte.
public enum JobRecord {
    /// The current format version.
    public static let version = 1

    /// Why a job file could not be read.
    public enum Problem: Error, Sendable, Hashable {
        case unreadable(String)
        case unsupportedVersion(Int)
    }

    struct Document: Codable {
        var version: Int
        var key: String
        var title: String
        var createdAt: String
        var expiresAt: String
    }

    /// The file name a job for `key` is stored under: the key's SHA-256, so any key makes a safe, short name.
    public static func fileName(for key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).hexString + ".job"
    }

    /// Encodes `job` as JSON with stable key order.
    public static func encode(_ job: Job) -> Data {
        let document = Document(
            version: version, key: job.key, title: job.title.text, createdAt: AmzDate(job.createdAt).iso8601,
            expiresAt: AmzDate(job.expiresAt).iso8601)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings cannot fail.
        return (try? encoder.encode(document)) ?? Data()
    }

    /// Decodes a job file; throws `Problem` for anything that is not a complete, current-format job.
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
