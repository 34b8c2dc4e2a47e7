import Foundation
import GalleryKit
import Testing

struct RandomIDTests {
    /// Upload keys end in a lower-case version 4 UUID, as `UUID().uuidString.lowercased()` wrote them.
    @Test func isALowerCaseVersion4UUID() throws {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = UploadPresigner.randomID()
            #expect(id.count == 36)
            #expect(id == id.lowercased())
            let uuid = try #require(UUID(uuidString: id))
            #expect(uuid.uuidString.lowercased() == id)
            #expect(Array(id.utf8)[14] == UInt8(ascii: "4"))
            // The RFC 9562 variant: the first hex digit of the fourth group is 8, 9, a or b.
            #expect("89ab".utf8.contains(Array(id.utf8)[19]))
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }
}
