import CVipsCheck
import Foundation
import TestSupport
import Testing

@testable import ImageProcessing

/// libvips through the shim, judged by an independent parser (Pillow, and the WebP container read by
/// hand in `Tests/Peers/photo_tool.py`).
struct RenditionMakerTests {
    let folder: URL
    let maker: RenditionMaker

    init() throws {
        folder = try Fixtures.temporaryDirectory("renditions")
        maker = try RenditionMaker()
    }

    /// A photo made by the peer: `photo_tool.py make` with `arguments`.
    func photo(_ name: String, _ arguments: [String]) async throws -> Data {
        let path = folder.appendingPathComponent(name).path
        try await peer(["make", path] + arguments)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Runs `photo_tool.py` off the concurrency pool.
    @discardableResult
    func peer(_ arguments: [String]) async throws -> Data {
        try await offThePool { try PythonPeer.run("photo_tool.py", arguments: arguments) }
    }

    /// `maker.make(from:)` off the concurrency pool, as the publisher runs it.
    func make(_ data: Data, with maker: RenditionMaker? = nil) async throws -> RenderedPhoto {
        let maker = maker ?? self.maker
        return try await offThePool { try maker.make(from: data) }
    }

    /// What the peer finds in each file.
    func inspect(_ files: [Data]) async throws -> [[String: Any]] {
        let paths = try files.enumerated().map { index, data in
            let url = folder.appendingPathComponent("inspect-\(index)")
            try data.write(to: url)
            return url.path
        }
        let output = try await peer(["inspect"] + paths)
        return try output.split(separator: UInt8(ascii: "\n")).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
    }

    /// An upload is classified once: the loader found for its bytes is the one named in its header,
    /// and the one that reads its header and its pixels.
    @Test func anUploadIsClassifiedOnceByItsLoader() throws {
        let header = try maker.inspect(Fixtures.png)
        #expect(header.format == .png)
        #expect(["VipsForeignLoadPngBuffer", "VipsForeignLoadSpngBuffer"].contains(header.loader))
        #expect((header.width, header.height, header.hasICCProfile) == (1, 1, false))
        #expect(try maker.make(from: Fixtures.png).format == .png)
        // The decode reads with the header's loader, not one it looks for again: told JPEG's, the
        // PNG's bytes do not decode.
        let misnamed = ImageHeader(
            format: .jpeg, loader: "VipsForeignLoadJpegBuffer", width: 1, height: 1, hasICCProfile: false)
        #expect(throws: ImageProcessingError.self) {
            try Fixtures.png.withUnsafeBytes { bytes in
                _ = try VipsImage.decode(bytes, header: misnamed, options: "", width: 1, height: 1)
            }
        }
    }

    @Test func theShimsDeclarationsMatchLibvipsHeaders() {
        // CVipsCheck does not compile unless every declaration matches; this proves it was built.
        #expect(vips_api_checked_declarations() == 39)
        #expect(maker.libraryVersion.hasPrefix("8."))
        #expect(maker.acceptedFormats.starts(with: [.jpeg, .png, .webp, .gif]))
    }

    /// A phone photo: GPS, serial number, owner, orientation 6. No rendition carries any of it, every
    /// one is upright (portrait), and the date taken survives as data, not as metadata.
    @Test func renditionsAreOrientedAndCarryNoMetadata() async throws {
        let original = try await photo(
            "phone.jpg",
            [
                "--width", "4000", "--height", "3000", "--gps", "--serial", "SN-0042", "--orientation", "6",
                "--taken", "2024:06:01 10:20:30",
            ])
        let before = try #require(try await inspect([original]).first)
        #expect(before["gps"] as? Bool == true)
        #expect((before["leaks"] as? [String])?.contains("SN-") == true)

        let rendered = try await make(original)
        #expect(rendered.format == .jpeg)
        // Upright, and within the 2048 px square: the JPEG decoded at half size (2000 × 1500), then turned.
        #expect(rendered.renditions.map(\.width) == [320, 640, 1280, 1500])
        #expect(rendered.width == 1500 && rendered.height == 2000)
        #expect(rendered.takenAt == "2024-06-01T10:20:30")
        #expect(rendered.placeholder.count < 400)
        #expect(rendered.original == nil)
        let reports = try await inspect(rendered.renditions.map(\.data) + [rendered.placeholder])
        for (report, rendition) in zip(reports, rendered.renditions) {
            #expect(report["format"] as? String == "WEBP")
            #expect(report["width"] as? Int == rendition.width)
            #expect(report["height"] as? Int == rendition.height)
            #expect(rendition.height > rendition.width, "not upright: \(report)")
        }
        for report in reports {
            #expect(report["exif_tags"] as? [String] == [], "\(report)")
            #expect(report["exif_bytes"] as? Int == 0, "\(report)")
            #expect(report["gps"] as? Bool == false, "\(report)")
            #expect(report["xmp"] as? Bool == false, "\(report)")
            #expect(report["icc"] as? Bool == false, "\(report)")
            #expect(report["leaks"] as? [String] == [], "\(report)")
            #expect(report["riff_chunks"] as? [String] == ["VP8 "], "\(report)")
        }
    }

    @Test(arguments: ["png", "webp", "gif", "heic", "avif"])
    func decodesEveryAcceptedFormat(_ format: String) async throws {
        if ["heic", "avif"].contains(format) && !maker.acceptedFormats.contains(.heif) { return }
        let original = try await photo(
            "photo.\(format)", ["--width", "900", "--height", "600", "--format", format, "--gps"])
        let rendered = try await make(original)
        // Never enlarged: a 900 px photo gets 320, 640 and its own 900.
        #expect(rendered.renditions.map(\.width) == [320, 640, 900])
        #expect(rendered.height == 600)
        for report in try await inspect(rendered.renditions.map(\.data)) {
            #expect(report["gps"] as? Bool == false)
            #expect(report["riff_chunks"] as? [String] == ["VP8 "], "\(report)")
        }
    }

    @Test func aStrippedOriginalIsFullSizeAndCarriesNoMetadata() async throws {
        var settings = RenditionSettings()
        settings.publicOriginals = true
        let original = try await photo("full.jpg", ["--width", "1200", "--height", "800", "--gps", "--serial", "SN-7"])
        let stripped = try #require(try await make(original, with: try RenditionMaker(settings: settings)).original)
        #expect(stripped.mediaType == "image/jpeg")
        let report = try #require(try await inspect([stripped.data]).first)
        #expect(report["width"] as? Int == 1200 && report["height"] as? Int == 800)
        #expect(report["gps"] as? Bool == false)
        #expect(report["exif_tags"] as? [String] == [])
        #expect(report["leaks"] as? [String] == [])
    }

    /// Refused before any pixel is decoded: a 30,000 × 30,000 PNG of about 100 KB.
    @Test func aDecompressionBombIsRefusedFromItsHeader() async throws {
        let path = folder.appendingPathComponent("bomb.png").path
        try await peer(["bomb", path, "--side", "30000"])
        let bomb = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bomb.count < 1_000_000)
        // The header alone says no: `inspect` reads no pixels, and `make` asks it first.
        let refusal = ImageProcessingError.tooManyPixels(width: 30000, height: 30000, limit: 100_000_000)
        #expect(throws: refusal) { try maker.inspect(bomb) }
        await #expect(throws: refusal) { try await make(bomb) }
    }

    /// An animation's frame count does not shrink its frames: 5 frames of 20,000² are a 400-megapixel
    /// image to decode (the first frame), refused from the header. (Dividing the height by the frame
    /// count once let this one through as 80 megapixels.)
    @Test func aManyFramedCanvasIsMeasuredWhole() async throws {
        let path = folder.appendingPathComponent("frames.gif").path
        try await peer(["gifbomb", path, "--side", "20000", "--frames", "5"])
        let bomb = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bomb.count < 1000)
        await #expect(throws: ImageProcessingError.tooManyPixels(width: 20000, height: 20000, limit: 100_000_000)) {
            try await make(bomb)
        }
        // A small animation is published from its first frame.
        let small = folder.appendingPathComponent("small.gif").path
        try await peer(["gifbomb", small, "--side", "64", "--frames", "100"])
        let rendered = try await make(try Data(contentsOf: URL(fileURLWithPath: small)))
        #expect(rendered.format == .gif && rendered.width == 64 && rendered.height == 64)
    }

    @Test func aCMYKPhotoBecomesSRGB() async throws {
        let cmyk = try await photo("print.jpg", ["--width", "800", "--height", "600", "--cmyk"])
        let rendered = try await make(cmyk)
        for report in try await inspect(rendered.renditions.map(\.data)) {
            #expect(report["mode"] as? String == "RGB", "\(report)")
            #expect(report["icc"] as? Bool == false)
        }
    }

    @Test func whatIsNotAStillImageOfAnAcceptedFormatIsRefused() async throws {
        let jpeg = try await photo("cut.jpg", ["--width", "800", "--height", "600"])
        func kind(_ error: ImageProcessingError) -> String {
            switch error {
            case .notAnImage: "not an image"
            case .unsupportedFormat: "unsupported"
            case .undecodable: "undecodable"
            case .tooManyPixels: "too many pixels"
            case .libraryUnavailable: "no libvips"
            }
        }
        let cases: [(String, Data, String)] = [
            ("empty", Data(), "not an image"), ("text", Data("hello".utf8), "not an image"),
            ("svg", Fixtures.svg, "unsupported"), ("png-headed html", Fixtures.pngHeadedHTML, "undecodable"),
            ("truncated jpeg", jpeg.prefix(jpeg.count * 6 / 10), "undecodable"),
        ]
        for (name, data, expected) in cases {
            do {
                _ = try await make(data)
                Issue.record("\(name) was decoded")
            } catch let error as ImageProcessingError {
                #expect(kind(error) == expected, "\(name): \(error)")
                print("refused \(name): \(error)")
            }
        }
    }

    @Test func exifDatesBecomeLocalISOTimesOrNothing() {
        #expect(
            RenditionMaker.exifDate("2024:06:01 10:20:30 (2024:06:01 10:20:30, ASCII, 20 components, 20 bytes)")
                == "2024-06-01T10:20:30")
        #expect(RenditionMaker.exifDate("0000:00:00 00:00:00 (…)") == nil)
        #expect(RenditionMaker.exifDate("2024-06-01 10:20:30") == nil)
        #expect(RenditionMaker.exifDate("2024:06:01") == nil)
        #expect(RenditionMaker.exifDate("2024:06:01 1O:20:30") == nil)
    }

    @Test func aJPEGIsDecodedSmallerWhenThatStillFillsTheLargestRendition() {
        func options(_ format: SourceFormat, _ side: Int) -> String {
            RenditionMaker.loaderOptions(format, longerSide: side, target: 2048)
        }
        #expect(options(.jpeg, 4000) == "fail_on=truncated,shrink=2")
        #expect(options(.jpeg, 3700) == "fail_on=truncated,shrink=2")  // 1850 px: within a tenth of 2048
        #expect(options(.jpeg, 3600) == "fail_on=truncated")  // 1800 px would be too small
        #expect(options(.jpeg, 8192) == "fail_on=truncated,shrink=4")
        #expect(options(.jpeg, 16000) == "fail_on=truncated,shrink=8")
        #expect(options(.jpeg, 2048) == "fail_on=truncated")
        #expect(options(.png, 4000) == "fail_on=truncated")
    }

    @Test func renditionWidthsNeverEnlarge() {
        let settings = RenditionSettings()
        #expect(settings.widths(forSourceWidth: 4000) == [320, 640, 1280, 2048])
        #expect(settings.widths(forSourceWidth: 2048) == [320, 640, 1280, 2048])
        #expect(settings.widths(forSourceWidth: 1000) == [320, 640, 1000])
        #expect(settings.widths(forSourceWidth: 320) == [320])
        #expect(settings.widths(forSourceWidth: 1) == [1])
    }
}
