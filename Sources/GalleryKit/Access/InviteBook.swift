public import Foundation

/// The invites an operator made, kept in the bucket (private, `settings/invites.json`) so every
/// instance knows which were revoked. Changes are conditional writes (instances may share the bucket);
/// readers keep what they read for a few seconds.
public actor InviteBook {
    /// Where the invites are kept.
    public static let key = "settings/invites.json"
    /// How long a read of the list is trusted before the next check (a revocation reaches every
    /// instance within this).
    public static let freshness: TimeInterval = 5

    private let store: any ObjectStore
    private let clock: any WallClock
    private var cached: (invites: [Invite], readAt: Date)?

    public init(store: any ObjectStore, clock: any WallClock = SystemClock()) {
        self.store = store
        self.clock = clock
    }

    struct Document: Codable {
        var invites: [Invite]
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// Every invite, newest first.
    public func all() async throws -> [Invite] {
        try await read().invites.sorted { $0.createdAt > $1.createdAt }
    }

    /// Makes an invite for `label`, valid for `lifetime` seconds.
    public func create(label: String, lifetime: TimeInterval) async throws -> Invite {
        let now = clock.now()
        let invite = Invite(
            id: Invite.freshID(), label: label, createdAt: now, expiresAt: now.addingTimeInterval(lifetime))
        try await change { $0.append(invite) }
        return invite
    }

    /// Revokes invite `id`; false when there is no such invite.
    public func revoke(id: String) async throws -> Bool {
        var found = false
        try await change { invites in
            for index in invites.indices where invites[index].id == id {
                invites[index].revoked = true
                found = true
            }
        }
        return found
    }

    /// Whether invite `id` was made here and not revoked (as of a read at most `freshness` old).
    public func admits(id: String) async throws -> Bool {
        let now = clock.now()
        if let cached, now.timeIntervalSince(cached.readAt) < Self.freshness, cached.readAt <= now {
            return cached.invites.contains { $0.id == id && !$0.revoked }
        }
        let invites = try await read().invites
        cached = (invites, now)
        return invites.contains { $0.id == id && !$0.revoked }
    }

    private func read() async throws -> (invites: [Invite], etag: String?) {
        guard let (data, etag) = try await store.readVersion(key: Self.key) else { return ([], nil) }
        guard let document = try? Self.decoder().decode(Document.self, from: data) else {
            throw ObjectStoreError.io("\(Self.key) does not read as a list of invites")
        }
        return (document.invites, etag)
    }

    private func change(_ edit: (inout [Invite]) -> Void) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        for _ in 1...20 {
            var (invites, etag) = try await read()
            edit(&invites)
            // Expired a week ago: no longer worth listing.
            let now = clock.now()
            invites.removeAll { now.timeIntervalSince($0.expiresAt) > 7 * 86_400 }
            do {
                _ = try await store.put(
                    key: Self.key, body: try encoder.encode(Document(invites: invites)),
                    contentType: "application/json", cacheControl: "no-store",
                    condition: etag.map { .matches(etag: $0) } ?? .absent)
                cached = nil
                return
            } catch ObjectStoreError.preconditionFailed {
                continue
            }
        }
        throw ObjectStoreError.preconditionFailed(Self.key)
    }
}
