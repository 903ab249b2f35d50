import Testing
@testable import KakehashiCoverage
import KakehashiModel

/// Entry numbers: one per distinct entry, never given twice, even after the table starts afresh.
@Suite struct EntryMemoNumbersTests {
    static func key(_ provider: Int32) -> EntryMemoNumbers.Key {
        .init(provider: provider, service: .homeVisitNursing, area: -1, from: 0, to: 3_600, municipality: "11208")
    }

    @Test func anEntryKeepsItsNumberAndNoNumberIsGivenTwice() {
        let memo = EntryMemoNumbers()
        let first = memo.numbers([Self.key(1), Self.key(2), Self.key(1)])
        #expect(first[0] == first[2] && first[0] != first[1])
        // Past 250,000 entries the table starts afresh: the entry is numbered again, with a new number.
        let many = memo.numbers((3..<250_003).map { Self.key(Int32($0)) })
        let again = memo.numbers([Self.key(1)])
        #expect(Set(first + many).count == 250_002)
        #expect(again[0] > many.max()!)
        #expect(memo.numbers([Self.key(1)]) == again)
    }
}
