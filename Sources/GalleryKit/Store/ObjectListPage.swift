/// One page of a listing; `nextContinuationToken` is nil on the last page.
public struct ObjectListPage: Sendable, Hashable {
    public let objects: [ObjectSummary]
    public let nextContinuationToken: String?

    public init(objects: [ObjectSummary], nextContinuationToken: String?) {
        self.objects = objects
        self.nextContinuationToken = nextContinuationToken
    }
}
