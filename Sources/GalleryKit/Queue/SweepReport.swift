/// What a sweep removed.
public struct SweepReport: Sendable, Hashable {
    /// Expired jobs deleted.
    public var expired: Int = 0
    /// Damaged segments copied into the queue's `corrupt/` folder before their readable records were
    /// kept, and unreadable job files of the earlier format moved there (nothing is deleted unread).
    public var quarantined: Int = 0
    /// Temporary files of interrupted writes deleted.
    public var temporaryFiles: Int = 0

    public init(expired: Int = 0, quarantined: Int = 0, temporaryFiles: Int = 0) {
        self.expired = expired
        self.quarantined = quarantined
        self.temporaryFiles = temporaryFiles
    }
}
