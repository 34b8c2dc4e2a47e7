import ArgumentParser

/// `gallery`: a photo gallery that lives in a bucket as static HTML.
@main
struct GalleryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "A photo gallery that lives in a bucket as static HTML.",
        discussion: """
            With no --bucket, everything runs on the embedded local bucket (a folder), so the gallery works \
            on a fresh machine with no cloud account: `gallery serve`, then open http://127.0.0.1:8080.
            """,
        subcommands: [
            Serve.self, Regenerate.self, Presign.self, Jobs.self, Setup.self, Remove.self, Hide.self, Unhide.self,
            Review.self, Invitation.self,
        ]
    )
}
