import Foundation
import GalleryKit
import Testing

/// The job files of the queue's earlier format, read once to bring an old queue into the log.
struct JobRecordTests {
    static let document =
        #"{"createdAt":"2025-11-25T13:45:07Z","expiresAt":"2025-11-25T14:10:07Z","key":"photos/abc","title":"Zürich / night","version":1}"#

    @Test func readsADocumentOfTheEarlierFormat() throws {
        let job = try JobRecord.decode(Data(Self.document.utf8))
        #expect(job.key == "photos/abc")
        #expect(job.title.text == "Zürich / night")
        #expect(job.createdAt == Date(timeIntervalSince1970: 1_764_078_307))
        #expect(job.expiresAt == Date(timeIntervalSince1970: 1_764_079_807))
    }

    @Test func refusesDamagedOrForeignFiles() {
        let encoded = Data(Self.document.utf8)
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
}
