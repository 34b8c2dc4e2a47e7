import Foundation
import GalleryKit
import Testing

struct JobRecordTests {
    static let job = Job(
        key: "photos/abc", title: try! Title(normalizing: "Zürich / night"),
        createdAt: Date(timeIntervalSince1970: 1_764_078_307), expiresAt: Date(timeIntervalSince1970: 1_764_079_807))

    @Test func encodesAStableDocument() {
        let text = String(decoding: JobRecord.encode(Self.job), as: UTF8.self)
        #expect(
            text
                == #"{"createdAt":"2025-11-25T13:45:07Z","expiresAt":"2025-11-25T14:10:07Z","key":"photos/abc","title":"Zürich / night","version":1}"#
        )
    }

    @Test func roundTrips() throws {
        #expect(try JobRecord.decode(JobRecord.encode(Self.job)) == Self.job)
    }

    @Test func refusesDamagedOrForeignFiles() {
        let encoded = JobRecord.encode(Self.job)
        for cut in [0, 1, encoded.count / 2, encoded.count - 1] {
            #expect(throws: JobRecord.Problem.self) { try JobRecord.decode(encoded.prefix(cut)) }
        }
        let future = Data(
            #"{"createdAt":"2025-11-25T13:45:07Z","expiresAt":"2025-11-25T14:10:07Z","key":"k","title":"t","version":2}"#
                .utf8)
        #expect(throws: JobRecord.Problem.unsupportedVersion(2)) { try JobRecord.decode(future) }
        let badDate = Data(
            #"{"createdAt":"yesterday","expiresAt":"2025-11-25T14:10:07Z","key":"k","title":"t","version":1}"#.utf8)
        #expect(throws: JobRecord.Problem.self) { try JobRecord.decode(badDate) }
    }

    @Test func fileNamesAreFixedLengthHashes() {
        let name = JobRecord.fileName(for: "photos/../../etc/passwd")
        #expect(name.count == 64 + 4)
        #expect(!name.contains("/"))
        #expect(name != JobRecord.fileName(for: "photos/abd"))
    }
}
