/// S3's rules for a tag set, checked before writing it.
public enum TagRules {
    /// Throws `ObjectStoreError.invalidTag` unless `tags` is a valid S3 tag set.
    public static func validate(_ tags: [ObjectTag]) throws(ObjectStoreError) {
        guard tags.count <= 10 else { throw .invalidTag("an object holds at most 10 tags, not \(tags.count).") }
        var seen: Set<String> = []
        for tag in tags {
            guard seen.insert(tag.key).inserted else { throw .invalidTag("the key '\(tag.key)' appears twice.") }
            let keyLength = tag.key.unicodeScalars.count
            guard (1...128).contains(keyLength) else { throw .invalidTag("tag keys are 1 to 128 characters.") }
            guard tag.value.unicodeScalars.count <= 256 else {
                throw .invalidTag("tag values are at most 256 characters.")
            }
            guard (tag.key + tag.value).unicodeScalars.allSatisfy(Title.isAllowedInTag) else {
                throw .invalidTag("'\(tag.key)' holds characters S3 does not allow in tags.")
            }
        }
    }
}
