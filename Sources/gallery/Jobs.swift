import ArgumentParser
import Foundation
import GalleryKit
import SigV4

/// `gallery jobs`: look after the queue of pending titles.
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, sweep or import pending titles.", subcommands: [List.self, Sweep.self, Import.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the pending (unexpired) jobs, oldest first.")
        @OptionGroup var options: GalleryOptions

        func run() async throws {
            let jobs = try await options.openQueue().pending()
            if jobs.isEmpty {
                print("No pending jobs.")
                return
            }
            for job in jobs {
                print("\(job.key)\texpires \(AmzDate(job.expiresAt).iso8601)\t\(job.title.text)")
            }
            print("\(jobs.count) pending job\(jobs.count == 1 ? "" : "s").")
        }
    }

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compact the queue: drop expired and finished jobs and leftovers of interrupted writes.")
        @OptionGroup var options: GalleryOptions

        func run() async throws {
            let report = try await options.openQueue().sweep()
            print(
                "Removed \(report.expired) expired job\(report.expired == 1 ? "" : "s"), "
                    + "\(report.temporaryFiles) temporary file\(report.temporaryFiles == 1 ? "" : "s"); "
                    + "put \(report.quarantined) damaged file\(report.quarantined == 1 ? "" : "s") aside in corrupt/.")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue titles read from standard input, one JSON object per line.",
            discussion: """
                Each line: {"key": "photos/…", "title": "…"}, optionally with "expiresInSeconds" (default 1500). \
                Prints `queued <key>` once each job is durably on disk, so a caller knows exactly what was stored.
                """)
        @OptionGroup var options: GalleryOptions

        struct Line: Decodable {
            var key: String
            var title: String
            var expiresInSeconds: Int?
        }

        func run() async throws {
            let queue = try options.openQueue()
            var lineNumber = 0
            while let text = readLine(strippingNewline: true) {
                lineNumber += 1
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                let line: Line
                let title: Title
                do {
                    line = try JSONDecoder().decode(Line.self, from: Data(text.utf8))
                    title = try Title(normalizing: line.title)
                } catch {
                    throw ValidationError("line \(lineNumber): \(error)")
                }
                guard !line.key.isEmpty else { throw ValidationError("line \(lineNumber): the key is empty.") }
                let now = Date()
                try await queue.enqueue(
                    Job(
                        key: line.key, title: title, createdAt: now,
                        expiresAt: now.addingTimeInterval(TimeInterval(line.expiresInSeconds ?? 1500))))
                // Unbuffered: the line appears only after the job is on disk, and at once.
                FileHandle.standardOutput.write(Data("queued \(line.key)\n".utf8))
            }
        }
    }
}
