import Foundation
import GalleryKit
import TestSupport
import Testing

struct ImageFormatTests {
    @Test func sniffsEveryPublishedFormat() {
        #expect(ImageFormat.sniff(Fixtures.png) == .png)
        #expect(ImageFormat.sniff(Fixtures.jpeg) == .jpeg)
        #expect(ImageFormat.sniff(Data("GIF89a....".utf8)) == .gif)
        #expect(ImageFormat.sniff(Data("RIFF\0\0\0\0WEBPVP8 ".utf8)) == .webp)
        #expect(ImageFormat.sniff(Data([0, 0, 0, 0x1C]) + Data("ftypavif".utf8)) == .avif)
    }

    @Test func refusesWhatIsNotARasterImage() {
        #expect(ImageFormat.sniff(Fixtures.svg) == nil)
        #expect(ImageFormat.sniff(Data("<!doctype html><p>hi".utf8)) == nil)
        #expect(ImageFormat.sniff(Data()) == nil)
        #expect(ImageFormat.sniff(Data([0x89, 0x50])) == nil)
        #expect(ImageFormat.sniff(Data([0, 0, 0, 0x1C]) + Data("ftypmp42".utf8)) == nil)
    }

    @Test func typeAndBytesMustAgree() {
        #expect(ImageFormat.verified(contentType: "image/png", bytes: Fixtures.png) == .png)
        #expect(ImageFormat.verified(contentType: "IMAGE/PNG; charset=binary", bytes: Fixtures.png) == .png)
        #expect(ImageFormat.verified(contentType: "image/jpeg", bytes: Fixtures.png) == nil)
        #expect(ImageFormat.verified(contentType: "image/png", bytes: Fixtures.svg) == nil)
        #expect(ImageFormat.verified(contentType: "image/svg+xml", bytes: Fixtures.svg) == nil)
    }
}
