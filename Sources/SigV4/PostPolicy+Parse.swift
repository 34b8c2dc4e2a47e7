public import Foundation

extension PostPolicy {
    /// Parses a policy document as S3 receives it, accepting every condition form S3 documents.
    /// Throws `PostUploadError.invalidPolicyDocument` saying what is wrong.
    public init(json bytes: some DataProtocol) throws(PostUploadError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw .invalidPolicyDocument("Invalid Policy: Invalid JSON.")
        }
        guard case .object(let object) = root else {
            throw .invalidPolicyDocument("Invalid Policy: Policy is not a JSON object.")
        }
        guard case .string(let expirationText)? = object["expiration"] else {
            throw .invalidPolicyDocument("Invalid Policy: Policy missing expiration.")
        }
        guard let expiration = AmzDate(iso8601: expirationText) else {
            throw .invalidPolicyDocument("Invalid Policy: Invalid 'expiration' value: '\(expirationText)'")
        }
        guard case .array(let list)? = object["conditions"] else {
            throw .invalidPolicyDocument("Invalid Policy: Policy missing conditions.")
        }
        var conditions: [Condition] = []
        for item in list {
            switch item {
            case .object(let pairs):
                for (field, value) in pairs.sorted(by: { $0.key < $1.key }) {
                    guard case .string(let text) = value else {
                        throw .invalidPolicyDocument(
                            "Invalid Policy: Invalid Simple-Condition: value must be a string.")
                    }
                    conditions.append(.equals(field: field, value: text))
                }
            case .array(let array):
                conditions.append(try Self.condition(from: array))
            default:
                throw .invalidPolicyDocument("Invalid Policy: Invalid condition: must be an object or an array.")
            }
        }
        self.init(expiration: expiration, conditions: conditions)
    }

    private static func condition(from array: [JSONValue]) throws(PostUploadError) -> Condition {
        guard array.count == 3, case .string(let name) = array[0] else {
            throw .invalidPolicyDocument("Invalid Policy: Invalid condition: wrong number of arguments.")
        }
        let operation = name.lowercased()
        switch operation {
        case "eq", "starts-with":
            guard case .string(let reference) = array[1], reference.hasPrefix("$"), reference.count > 1,
                case .string(let value) = array[2]
            else {
                throw .invalidPolicyDocument(
                    "Invalid Policy: Invalid \(operation) condition: expected [\"\(operation)\", \"$field\", \"value\"]."
                )
            }
            let field = String(reference.dropFirst())
            return operation == "eq" ? .equals(field: field, value: value) : .startsWith(field: field, prefix: value)
        case "content-length-range":
            guard let low = integer(array[1]), let high = integer(array[2]), low >= 0, low <= high else {
                throw .invalidPolicyDocument(
                    "Invalid Policy: Invalid content-length-range: expected two sizes, min <= max.")
            }
            return .contentLengthRange(low...high)
        default:
            throw .invalidPolicyDocument("Invalid Policy: Invalid condition operation '\(operation)'.")
        }
    }

    private static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .string(let text): Int(text)
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: Int(number)
        default: nil
        }
    }
}

/// Just enough JSON to read a policy document without losing the types of its values.
enum JSONValue: Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
