/// Names joined as a sentence lists them: "JPEG", "JPEG or PNG", "JPEG, PNG or GIF".
enum EnglishList {
    static func or(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}
