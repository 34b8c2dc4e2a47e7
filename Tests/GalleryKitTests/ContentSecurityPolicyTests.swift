import Testing

@testable import GalleryKit

struct ContentSecurityPolicyTests {
    @Test func generatedPagesAllowTheirOwnStylesPhotosAndScriptsAndTheUploadersCallsOnly() {
        var configuration = GalleryConfiguration(
            publicURL: "https://upload.example.com/", galleryURL: "http://gallery.s3-website-eu-west-1.amazonaws.com")
        configuration.uploadFormURL = "https://gallery.s3.eu-west-1.amazonaws.com"
        configuration.siteTitle = "x"
        #expect(
            ContentSecurityPolicy.generatedPages(configuration)
                == "default-src 'none'; img-src 'self' data: blob:; style-src 'self'; "
                + "script-src http://gallery.s3-website-eu-west-1.amazonaws.com/assets/; "
                + "connect-src https://upload.example.com https://gallery.s3.eu-west-1.amazonaws.com; "
                + "form-action https://upload.example.com; base-uri 'none'"
        )
        // The embedded mode: the local bucket is the service, one origin to connect to.
        let local = GalleryConfiguration(publicURL: "http://127.0.0.1:8080")
        #expect(ContentSecurityPolicy.generatedPages(local).contains("; connect-src http://127.0.0.1:8080; "))
        #expect(local.crossOrigin == nil)
        #expect(configuration.crossOrigin == "http://gallery.s3-website-eu-west-1.amazonaws.com")
    }

    @Test func servicePagesRunNoScriptsButTheInvitePagesUploader() {
        let configuration = GalleryConfiguration(publicURL: "https://upload.example.com")
        let plain = ContentSecurityPolicy.servicePages(configuration, imageOrigins: [])
        #expect(!plain.contains("script-src") && !plain.contains("connect-src") && !plain.contains("blob:"))
        let invite = ContentSecurityPolicy.servicePages(configuration, imageOrigins: [], uploads: true)
        #expect(invite.contains("script-src https://upload.example.com/assets/uploader.js;"))
        #expect(invite.contains("connect-src https://upload.example.com;"))
        #expect(invite.contains("img-src https://upload.example.com blob:;"))
    }

    @Test func theUploadPageMayPostToTheBucketAndFollowItsRedirects() {
        let configuration = GalleryConfiguration(
            publicURL: "https://upload.example.com", galleryURL: "http://gallery.s3-website-eu-west-1.amazonaws.com")
        let policy = ContentSecurityPolicy.uploadPage(
            configuration, formURL: "https://gallery.s3.eu-west-1.amazonaws.com/")
        #expect(policy.contains("script-src http://gallery.s3-website-eu-west-1.amazonaws.com/assets/upload.js;"))
        #expect(
            policy.contains(
                "form-action https://gallery.s3.eu-west-1.amazonaws.com https://upload.example.com http://gallery.s3-website-eu-west-1.amazonaws.com;"
            ))
        #expect(!policy.contains("unsafe"))
        #expect(ContentSecurityPolicy.origin("http://[::1]:8080/x") == "http://[::1]:8080")
    }
}
