import Foundation

/// A browser-upload POST policy: an expiration and the conditions every form field must meet.
public struct PostPolicy: Sendable, Hashable {
    /// One policy condition.
    public enum Condition: Sendable, Hashable {
        /// `{"field": "value"}` or `["eq", "$field", "value"]`: the field must equal the value.
        case equals(field: String, value: String)
        /// `["starts-with", "$field", "prefix"]`: the field must start with the prefix (`""` allows any value).
        case startsWith(field: String, prefix: String)
        /// `["content-length-range", min, max]`: the file's size in bytes must lie in the range.
        case contentLengthRange(ClosedRange<Int>)

        /// The form field this condition covers, lower-cased; nil for the content length.
        public var fieldName: String? {
            switch self {
            case .equals(let field, _), .startsWith(let field, _): field.lowercased()
            case .contentLengthRange: nil
            }
        }
    }

    /// When the policy stops being accepted.
    public var expiration: AmzDate
    /// The conditions, in order.
    public var conditions: [Condition]

    /// Creates a policy.
    public init(expiration: AmzDate, conditions: [Condition]) {
        self.expiration = expiration
        self.conditions = conditions
    }

    /// The policy document as botocore writes it (`json.dumps`: `", "` and `": "` separators, ASCII-only),
    /// so that the same policy gives byte-identical base64 and signatures.
    public var json: String {
        var out = "{\"expiration\": "
        JSONText.appendString(expiration.iso8601, to: &out)
        out += ", \"conditions\": ["
        for (index, condition) in conditions.enumerated() {
            if index > 0 { out += ", " }
            switch condition {
            case .equals(let field, let value):
                out += "{"
                JSONText.appendString(field, to: &out)
                out += ": "
                JSONText.appendString(value, to: &out)
                out += "}"
            case .startsWith(let field, let prefix):
                out += "[\"starts-with\", "
                JSONText.appendString("$" + field, to: &out)
                out += ", "
                JSONText.appendString(prefix, to: &out)
                out += "]"
            case .contentLengthRange(let range):
                out += "[\"content-length-range\", \(range.lowerBound), \(range.upperBound)]"
            }
        }
        out += "]}"
        return out
    }

    /// The base64 text of `json`: the `policy` form field, and what the signature covers.
    public var base64: String { Data(json.utf8).base64EncodedString() }
}

/// JSON string escaping identical to Python's `json.dumps` with `ensure_ascii=True`.
enum JSONText {
    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }
}
