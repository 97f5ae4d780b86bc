import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

/// The executor and the sleeps that keep an idle daemon from being woken (the process test
/// `DaemonTests.anIdleDaemonIsNotWokenAfterASlot` counts the wakeups).
@Suite struct QuietExecutorTests {
    actor Tally<Value: Sendable> {
        var values: [Value] = []
        func add(_ value: Value) { values.append(value) }
    }

    @Test func childTasksAndActorsRunOnItsThreads() async {
        let tally = Tally<Bool>()
        await withTaskExecutorPreference(QuietExecutor.shared) {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let onWorker = QuietExecutor.isWorkerThread
                        await tally.add(onWorker)
                    }
                }
            }
        }
        let threads = await tally.values
        #expect(threads.count == 20 && threads.allSatisfy { $0 }, "\(threads)")
        // A thread of the executor's is told from any other.
        let elsewhere = await withCheckedContinuation { continuation in
            NativeThread.start(name: "narrate-test") { continuation.resume(returning: QuietExecutor.isWorkerThread) }
        }
        #expect(!elsewhere)
    }

    /// The executor's threads carry their names (seen in `top -H` and a debugger).
    /// Each names itself as it starts, so the names are awaited.
    @Test func itsThreadsAreNamed() async throws {
        _ = QuietExecutor.shared
        var names: [String] = []
        for _ in 0..<100 {
            names = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap {
                try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if names.contains("narrate-0") && names.contains("narrate-3") { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(names.contains("narrate-0") && names.contains("narrate-3"), "\(names)")
    }

    @Test func sleepsEndInDeadlineOrder() async throws {
        let order = Tally<Double>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for delay in [0.6, 0.2, 0.4] {
                group.addTask {
                    try await Pause.sleep(seconds: delay)
                    await order.add(delay)
                }
            }
            try await group.waitForAll()
        }
        #expect(await order.values == [0.2, 0.4, 0.6])
    }

    @Test func aCancelledSleepThrowsAtOnce() async {
        let task = Task { try await Pause.sleep(seconds: 3_600) }
        try? await Task.sleep(nanoseconds: 20_000_000)
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        // Cancelled before it starts: it does not wait at all.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await Pause.sleep(seconds: 3_600)
        }
        await #expect(throws: CancellationError.self) { try await early.value }
    }
}
