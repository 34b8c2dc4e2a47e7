import Testing

@testable import GalleryKit

struct PhotoCountHeadingTests {
    @Test func countsInEnglish() {
        #expect(PageRenderer.photoCountHeading(0) == "Photos")
        #expect(PageRenderer.photoCountHeading(1) == "1 photo")
        #expect(PageRenderer.photoCountHeading(130) == "130 photos")
    }
}
