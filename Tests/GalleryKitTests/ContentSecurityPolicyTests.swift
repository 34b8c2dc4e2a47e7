import Testing

@testable import GalleryKit

struct ContentSecurityPolicyTests {
    @Test func generatedPagesAllowTheirOwnStylesAndPhotosAndTheTitleFormOnly() {
        var configuration = GalleryConfiguration(
            publicURL: "https://upload.example.com/", galleryURL: "http://gallery.s3-website-eu-west-1.amazonaws.com")
        configuration.siteTitle = "x"
        #expect(
            ContentSecurityPolicy.generatedPages(configuration)
                == "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action https://upload.example.com; base-uri 'none'"
        )
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
