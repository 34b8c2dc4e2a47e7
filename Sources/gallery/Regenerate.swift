import ArgumentParser
import Foundation
import GalleryKit

#if canImport(Glibc)
    import Glibc
#endif

/// `gallery regenerate`: rebuild every page from the bucket now.
struct Regenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the whole gallery from the bucket's photos and their Title tags.",
        discussion:
            "Titles changed outside the service (in the S3 console, say) are picked up. Tag reads run 16 at a time.")

    @OptionGroup var options: GalleryOptions

    @Flag(help: "Print what would be written, and write nothing.")
    var dryRun = false

    func run() async throws {
        let (gallery, _) = try await options.openGallery()
        let progress = ProgressReporter(interactive: isatty(STDERR_FILENO) == 1)
        let report = try await gallery.generator.rebuild(dryRun: dryRun) { done, total in progress.update(done, total) }
        progress.finish()
        if dryRun {
            for key in report.writtenKeys { print("would write \(key)") }
            if report.deleted > 0 { print("would delete \(report.deleted) stale pages") }
        }
        print(
            "\(dryRun ? "Dry run" : "Rebuilt the gallery"): \(report.photos) photos, \(report.written) files "
                + "\(dryRun ? "to write" : "written"), \(report.unchanged) unchanged, \(report.deleted) stale pages "
                + "\(dryRun ? "to delete" : "deleted")"
                + (report.untitled > 0 ? ", \(report.untitled) uploads still untitled." : "."))
    }
}

/// Reading titles: a progress bar on a terminal (done/total, rate, time left), plain lines otherwise.
final class ProgressReporter: @unchecked Sendable {
    private let interactive: Bool
    private let start = Date()
    private let lock = NSLock()
    private var lastPrinted = Date.distantPast
    private var printedAny = false

    init(interactive: Bool) { self.interactive = interactive }

    func update(_ done: Int, _ total: Int) {
        lock.withLock {
            let now = Date()
            let interval: TimeInterval = interactive ? 0.1 : 2
            guard done == total || now.timeIntervalSince(lastPrinted) >= interval else { return }
            lastPrinted = now
            printedAny = true
            let elapsed = max(now.timeIntervalSince(start), 0.001)
            let rate = Double(done) / elapsed
            let left = rate > 0 ? Double(total - done) / rate : 0
            let summary = "\(done)/\(total) titles read, \(Int(rate))/s, \(Int(left.rounded(.up)))s left"
            if interactive {
                let width = 30
                let filled = total > 0 ? width * done / total : width
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                FileHandle.standardError.write(Data("\r\(bar) \(summary)   ".utf8))
            } else {
                FileHandle.standardError.write(Data("\(summary)\n".utf8))
            }
        }
    }

    func finish() {
        lock.withLock {
            if interactive && printedAny { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }
}
