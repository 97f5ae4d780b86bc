/// `map` and `flatMap` whose transform may suspend (a store read through its protocol), one
/// element after another in order, as the synchronous ones.
extension Sequence {
    package func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        results.reserveCapacity(underestimatedCount)
        for element in self { results.append(try await transform(element)) }
        return results
    }

    package func asyncFlatMap<S: Sequence>(_ transform: (Element) async throws -> S) async rethrows -> [S.Element] {
        var results: [S.Element] = []
        for element in self { results.append(contentsOf: try await transform(element)) }
        return results
    }
}
