public import Foundation

/// A UTC timestamp split into calendar fields, formatted the ways SigV4 and POST policies need.
///
/// Pure arithmetic on the Unix epoch: no `DateFormatter`, no locale, no time zone database.
public struct AmzDate: Sendable, Hashable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int

    /// Splits `date` into UTC fields, dropping fractions of a second.
    public init(_ date: Date) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        (year, month, day) = Self.civil(fromDays: days)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
    }

    /// The instant these fields name.
    public var date: Date {
        let days = Self.days(fromCivil: year, month, day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// `yyyyMMdd'T'HHmmss'Z'`, the `x-amz-date` form.
    public var timestamp: String { formatted(withTime: true, dateSeparator: nil, timeSeparator: nil) }

    /// `yyyyMMdd`, the credential scope's date.
    public var dateStamp: String { formatted(withTime: false, dateSeparator: nil, timeSeparator: nil) }

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'`, the POST policy `expiration` form botocore writes.
    public var iso8601: String {
        formatted(withTime: true, dateSeparator: UInt8(ascii: "-"), timeSeparator: UInt8(ascii: ":"))
    }

    /// The one layout of the three forms above, written digit by digit into bytes and then one
    /// string (they run on every signature and presign); the forms differ only in separators.
    private func formatted(withTime: Bool, dateSeparator: UInt8?, timeSeparator: UInt8?) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(to: &out, withTime: withTime, dateSeparator: dateSeparator, timeSeparator: timeSeparator)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the layout to `out`; with `milliseconds`, `.SSS` before the `Z`.
    func append(
        to out: inout [UInt8], withTime: Bool, dateSeparator: UInt8?, timeSeparator: UInt8?, milliseconds: Int? = nil
    ) {
        func field(_ value: Int, after separator: UInt8?) {
            if let separator { out.append(separator) }
            out.appendPadded(value, 2)
        }
        out.appendPadded(year, 4)
        field(month, after: dateSeparator)
        field(day, after: dateSeparator)
        if withTime {
            out.append(UInt8(ascii: "T"))
            out.appendPadded(hour, 2)
            field(minute, after: timeSeparator)
            field(second, after: timeSeparator)
            if let milliseconds {
                out.append(UInt8(ascii: "."))
                out.appendPadded(milliseconds, 3)
            }
            out.append(UInt8(ascii: "Z"))
        }
    }

    /// RFC 9110 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), as `Last-Modified` carries it.
    public var httpDate: String {
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = Self.days(fromCivil: year, month, day)
        let weekday = weekdays[((days % 7) + 7) % 7]
        return "\(weekday), \(pad(day, 2)) \(months[month - 1]) \(pad(year, 4)) "
            + "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)) GMT"
    }

    /// Parses `yyyyMMdd'T'HHmmss'Z'`.
    public init?(timestamp text: String) {
        let digits = Array(text.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") else { return nil }
        guard let y = Self.number(digits[0..<4]), let mo = Self.number(digits[4..<6]),
            let d = Self.number(digits[6..<8]),
            let h = Self.number(digits[9..<11]), let mi = Self.number(digits[11..<13]),
            let s = Self.number(digits[13..<15])
        else { return nil }
        self.init(validating: y, mo, d, h, mi, s)
    }

    /// Parses RFC 9110 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form `httpDate` writes
    /// and `If-Modified-Since` and `Last-Modified` carry; the weekday is not checked.
    public init?(httpDate text: String) {
        let bytes = Array(text.utf8)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard bytes.count == 29, bytes[3] == UInt8(ascii: ","), bytes[4] == 0x20, bytes[7] == 0x20,
            bytes[11] == 0x20, bytes[16] == 0x20, bytes[19] == UInt8(ascii: ":"), bytes[22] == UInt8(ascii: ":"),
            bytes[25...].elementsEqual(" GMT".utf8),
            let month = months.firstIndex(where: { $0.utf8.elementsEqual(bytes[8..<11]) }),
            let d = Self.number(bytes[5..<7]), let y = Self.number(bytes[12..<16]),
            let h = Self.number(bytes[17..<19]), let mi = Self.number(bytes[20..<22]),
            let s = Self.number(bytes[23..<25])
        else { return nil }
        self.init(validating: y, month + 1, d, h, mi, s)
    }

    /// Parses ISO 8601 UTC as POST policies carry it: `2015-12-30T12:00:00.000Z` or without fractions.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"),
            bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":")
        else { return nil }
        if bytes.count > 20 {
            // Fractional seconds: ".d…dZ"; they never move a second boundary we compare at.
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21,
                bytes[20..<(bytes.count - 1)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            else { return nil }
        }
        guard let y = Self.number(bytes[0..<4]), let mo = Self.number(bytes[5..<7]), let d = Self.number(bytes[8..<10]),
            let h = Self.number(bytes[11..<13]), let mi = Self.number(bytes[14..<16]),
            let s = Self.number(bytes[17..<19])
        else { return nil }
        self.init(validating: y, mo, d, h, mi, s)
    }

    public static func < (lhs: AmzDate, rhs: AmzDate) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    private init?(validating y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) {
        guard (1...12).contains(mo), (1...Self.daysIn(month: mo, year: y)).contains(d), (0...23).contains(h),
            (0...59).contains(mi), (0...59).contains(s)
        else { return nil }
        (year, month, day, hour, minute, second) = (y, mo, d, h, mi, s)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's civil-from-days and days-from-civil (proleptic Gregorian).
    private static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension [UInt8] {
    /// Appends `value` in decimal, zero-padded to `width` digits (more digits when it needs them).
    mutating func appendPadded(_ value: Int, _ width: Int) {
        guard value >= 0 else { return append(contentsOf: pad(value, width).utf8) }
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: Swift.max(width, digits)))
        var remaining = value
        var index = endIndex - 1
        while index >= start, remaining > 0 {
            self[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            index -= 1
        }
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
