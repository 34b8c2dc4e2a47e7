/// What must hold for a conditional write to happen: how several writers of one object (instances
/// sharing a bucket, the manifest) take turns without losing each other's changes.
public enum WriteCondition: Sendable, Hashable {
    /// The object is there and its entity tag is this one (S3 `If-Match`).
    case matches(etag: String)
    /// There is no object yet (S3 `If-None-Match: *`).
    case absent
}
