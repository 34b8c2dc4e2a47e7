/// Who may ask for an upload form (`gallery serve --uploads`).
public enum UploadAccess: String, Sendable, CaseIterable {
    /// Anyone (per-client rate limits and pending caps still apply).
    case open
    /// Only holders of a valid invite (`gallery invite`): `POST /upload` needs its `invite` field.
    case invite
}
