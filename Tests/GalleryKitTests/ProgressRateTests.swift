import Foundation
import GalleryKit
import Testing

/// `gallery regenerate`'s progress line: at 10,000 photos on moto it said "0/s, 62485s left" after
/// the first record, because the time spent listing counted as reading.
struct ProgressRateTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func noFigureUntilASecondOfStepsThenTheRateOfTheLastWindow() {
        var rate = ProgressRate(window: 10)
        rate.record(1, at: start)
        #expect(rate.perSecond == nil)
        #expect(rate.secondsLeft(total: 10_000) == nil)
        rate.record(50, at: start + 0.5)
        #expect(rate.perSecond == nil)
        rate.record(101, at: start + 1)
        #expect(rate.perSecond == 100)
        #expect(rate.secondsLeft(total: 10_101) == 100)
        // Faster later: the old pace leaves the window.
        for second in 2...30 { rate.record(101 + (second - 1) * 400, at: start + Double(second)) }
        #expect(rate.perSecond == 400)
        #expect(rate.secondsLeft(total: 11_701 + 400 * 10) == 10)
    }

    @Test func aStallShowsNoTimeLeft() {
        var rate = ProgressRate(window: 5)
        rate.record(10, at: start)
        rate.record(10, at: start + 6)
        rate.record(10, at: start + 12)
        #expect(rate.perSecond == 0)
        #expect(rate.secondsLeft(total: 100) == nil)
    }
}
