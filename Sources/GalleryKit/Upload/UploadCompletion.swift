/// How the bucket answers a browser whose upload it accepted, pinned in the upload's policy.
public enum UploadCompletion: Sendable, Hashable {
    /// A 303 to the service's `/uploaded`, which publishes the photo and sends the browser on to the
    /// gallery: the plain form's flow.
    case redirect
    /// A 201 (`success_action_status`), read by the script that posted the file, which then calls
    /// `/uploaded` itself: the flow of the page that uploads several photos with progress.
    case created

    /// The form field that says so, with its value; the policy pins it exactly.
    func field(uploadedURL: String) -> (name: String, value: String) {
        switch self {
        case .redirect: ("success_action_redirect", uploadedURL)
        case .created: ("success_action_status", "201")
        }
    }
}
