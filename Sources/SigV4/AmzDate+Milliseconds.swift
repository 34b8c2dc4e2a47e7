public import Foundation

extension AmzDate {
    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, by arithmetic (no formatter): milliseconds keep the upload
    /// order within a second through a round trip (the manifest's times, and the upload-time tag).
    public static func appendMilliseconds(_ date: Date, to out: inout [UInt8]) {
        let whole = AmzDate(date)
        let milliseconds = Int(((date.timeIntervalSince1970 - whole.date.timeIntervalSince1970) * 1000).rounded(.down))
        whole.append(
            to: &out, withTime: true, dateSeparator: UInt8(ascii: "-"), timeSeparator: UInt8(ascii: ":"),
            milliseconds: max(0, min(999, milliseconds)))
    }

    /// The date in a `yyyy-MM-ddTHH:mm:ss[.SSS]Z` text, or nil.
    public static func parseMilliseconds(_ text: String) -> Date? {
        guard let whole = AmzDate(iso8601: text) else { return nil }
        guard let dot = text.lastIndex(of: "."),
            let fraction = Double("0" + text[dot..<text.index(before: text.endIndex)])
        else { return whole.date }
        return whole.date.addingTimeInterval(fraction)
    }
}
