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

    /// The policy document as botocore writes it (`json.dumps`: `", "` and `": "` separators,
    /// ASCII-only), so that the same policy gives byte-identical base64 and signatures; built byte by
    /// byte, as it is on every presign.
    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(
            96
                + conditions.reduce(0) {
                    switch $1 {
                    case .equals(let field, let value), .startsWith(let field, let value):
                        $0 + field.utf8.count + value.utf8.count + 32
                    case .contentLengthRange: $0 + 64
                    }
                })
        out += #"{"expiration": "#.utf8
        JSONText.appendASCII(expiration.iso8601, to: &out)
        out += #", "conditions": ["#.utf8
        for (index, condition) in conditions.enumerated() {
            if index > 0 { out += ", ".utf8 }
            switch condition {
            case .equals(let field, let value):
                out.append(UInt8(ascii: "{"))
                JSONText.appendASCII(field, to: &out)
                out += ": ".utf8
                JSONText.appendASCII(value, to: &out)
                out.append(UInt8(ascii: "}"))
            case .startsWith(let field, let prefix):
                out += #"["starts-with", "#.utf8
                JSONText.appendASCII("$" + field, to: &out)
                out += ", ".utf8
                JSONText.appendASCII(prefix, to: &out)
                out.append(UInt8(ascii: "]"))
            case .contentLengthRange(let range):
                out += #"["content-length-range", \#(range.lowerBound), \#(range.upperBound)]"#.utf8
            }
        }
        out += "]}".utf8
        return out
    }

    /// The base64 text of `json`: the `policy` form field, and what the signature covers.
    public var base64: String { Data(jsonBytes).base64EncodedString() }
}
