import Foundation

/// A photo title: user input made safe to store as an S3 tag value.
///
/// Normalising keeps every script's letters and digits, composes accents (NFC), folds all
/// whitespace runs to one space, and drops what S3 tag values cannot hold. HTML escaping is the
/// renderer's job, never this type's: a `Title` is plain text.
public struct Title: Sendable, Hashable, CustomStringConvertible {
    /// The normalised text; at most `maximumLength` characters, never empty.
    public let text: String

    /// S3's limit on a tag value, in Unicode characters.
    public static let maximumLength = 256
    /// The title given to a photo whose title is empty or unknown.
    public static let untitled = Title(verified: "Untitled")

    /// Why a title cannot be accepted.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The normalised title is longer than `maximumLength` characters.
        case tooLong(length: Int)

        public var description: String {
            switch self {
            case .tooLong(let length):
                "The title is \(length) characters long; titles hold at most \(Title.maximumLength)."
            }
        }
    }

    /// Normalises `input`; empty input becomes `Untitled`.
    public init(normalizing input: String) throws(Problem) {
        let text = Self.normalize(input)
        let length = text.unicodeScalars.count
        guard length <= Self.maximumLength else { throw .tooLong(length: length) }
        self.text = text.isEmpty ? Self.untitled.text : text
    }

    /// Wraps text that is already a valid title (read back from a tag), normalising it again to be sure.
    public init?(tagValue: String) {
        guard let title = try? Title(normalizing: tagValue), !tagValue.isEmpty else { return nil }
        self = title
    }

    private init(verified text: String) { self.text = text }

    public var description: String { text }

    /// NFC, whitespace folded, only characters S3 allows in a tag value.
    static func normalize(_ input: String) -> String {
        // ASCII is its own NFC, and its classes are known: every presign normalises a title, most are ASCII.
        input.utf8.allSatisfy { $0 < 0x80 } ? normalizeASCII(input) : normalizeScalars(input)
    }

    /// `normalize` by Unicode properties, for any text.
    static func normalizeScalars(_ input: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in input.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .spaceSeparator {
                pendingSpace = !out.isEmpty
            } else if isAllowedInTag(scalar) {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `normalize` for ASCII text, byte by byte: whitespace is tab to carriage return and space;
    /// letters, digits and `_.:/=+-@` are kept (the tests hold this to `normalizeScalars`).
    static func normalizeASCII(_ input: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(input.utf8.count)
        var pendingSpace = false
        for byte in input.utf8 {
            switch byte {
            case 0x09...0x0D, UInt8(ascii: " "):
                pendingSpace = !out.isEmpty
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
                UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"):
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte)
            default:
                continue
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// S3's tag character set: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
    static func isAllowedInTag(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return "_.:/=+-@".unicodeScalars.contains(scalar)
        }
    }
}
