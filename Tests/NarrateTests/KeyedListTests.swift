import Testing
@testable import NarrateCore

/// The storage of a TOML table: searched in order while small, indexed from
/// `KeyedList.indexedFrom` keys; either way it must behave as an ordered dictionary.
@Suite struct KeyedListTests {
    /// Random updates and removals, against a dictionary and the order of first writes, across
    /// the size where the index starts and back below it.
    @Test func behavesAsAnOrderedDictionary() {
        var random = SeededRandom(seed: 0x5EED_0011)
        for _ in 0..<200 {
            var list = KeyedList<Int>()
            var reference: [String: Int] = [:]
            var order: [String] = []
            let keyCount = Int.random(in: 1...40, using: &random)
            for step in 0..<Int.random(in: 1...120, using: &random) {
                let key = "k\(Int.random(in: 0..<keyCount, using: &random))"
                if Int.random(in: 0..<4, using: &random) == 0 {
                    #expect(list.removeValue(forKey: key) == reference.removeValue(forKey: key))
                    order.removeAll { $0 == key }
                } else {
                    #expect(list.updateValue(step, forKey: key) == reference.updateValue(step, forKey: key))
                    if !order.contains(key) { order.append(key) }
                }
                #expect(list.keys == order)
                #expect(list.values == order.map { reference[$0]! })
                for probe in 0..<keyCount { #expect(list["k\(probe)"] == reference["k\(probe)"]) }
            }
        }
    }

    /// A table past the indexed size still finds a key written twice, and keeps its order.
    @Test func aLargeTableFindsADuplicateKey() {
        let keys = (0..<40).map { "key\($0)" }
        let text = keys.map { "\($0) = 1\n" }.joined() + "key30 = 2\n"
        #expect(TOMLParser.parse(text).error?.message == #""key30" is defined twice (first on line 31)"#)
        let table = TOMLParser.parse(keys.map { "\($0) = \"v\($0)\"\n" }.joined()).table
        #expect(table?.keys == keys)
        #expect(table?["key33"] == .string("vkey33"))
        #expect(table?["key40"] == nil)
    }
}
