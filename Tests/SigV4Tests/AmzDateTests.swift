import Foundation
import SigV4
import Testing

/// The forms of a time SigV4 and HTTP use, written and read digit by digit.
struct AmzDateTests {
    @Test func formatsEveryFormSigningAndHTTPUse() {
        let date = AmzDate(timestamp: "19941106T084937Z")!
        #expect(date.httpDate == "Sun, 06 Nov 1994 08:49:37 GMT")  // RFC 9110's own example
        #expect(date.iso8601 == "1994-11-06T08:49:37Z")
        #expect(date.dateStamp == "19941106")
        #expect(AmzDate(Date(timeIntervalSince1970: 0)).httpDate == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(AmzDate(iso8601: "2024-02-29T23:59:59.123Z")?.httpDate == "Thu, 29 Feb 2024 23:59:59 GMT")
        #expect(AmzDate(iso8601: "2023-02-29T00:00:00Z") == nil)
    }

    /// The forms are written digit by digit; Foundation's ISO 8601 style is the independent reference,
    /// over seconds, minutes, hours, days and years of every width, including years past 9999.
    @Test func formsAgreeWithFoundationsISO8601() throws {
        var seconds: TimeInterval = -1
        var checked = 0
        while seconds < 300_000_000_000 {
            let date = Date(timeIntervalSince1970: max(0, seconds))
            let reference = date.formatted(.iso8601)
            let amz = AmzDate(date)
            #expect(amz.iso8601 == reference)
            #expect(amz.timestamp == reference.filter { $0 != "-" && $0 != ":" })
            #expect(amz.dateStamp == String(reference.prefix(10)).filter { $0 != "-" })
            #expect(AmzDate(iso8601: amz.iso8601) == amz)
            seconds = seconds * 1.7 + 61
            checked += 1
        }
        #expect(checked > 40)
        #expect(AmzDate(iso8601: "0999-01-02T03:04:05Z")?.timestamp == "09990102T030405Z")
    }
}
