import ArgumentParser
import Foundation
import GalleryKit
import SigV4

#if canImport(Glibc)
    import Glibc
#endif

/// A long job's progress: a bar on a terminal (done/total, rate, time left), plain lines otherwise.
final class ProgressReporter: @unchecked Sendable {
    private let interactive: Bool
    private let noun: String
    private var rate = ProgressRate()
    private let lock = NSLock()
    private var lastPrinted = Date.distantPast
    private var printedAny = false

    init(interactive: Bool, noun: String) {
        self.interactive = interactive
        self.noun = noun
    }

    func update(_ done: Int, _ total: Int) {
        lock.withLock {
            let now = Date()
            rate.record(done, at: now)
            let interval: TimeInterval = interactive ? 0.1 : 2
            guard done == total || now.timeIntervalSince(lastPrinted) >= interval else { return }
            lastPrinted = now
            printedAny = true
            let speed =
                rate.perSecond.map { "\(Int($0.rounded()))/s" } ?? "measuring the rate"
            let left = rate.secondsLeft(total: total).map { ", \(Int($0.rounded(.up)))s left" } ?? ""
            let summary = "\(done)/\(total) \(noun), \(speed)\(left)"
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
