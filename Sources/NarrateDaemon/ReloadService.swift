import Foundation
import NarrateModel
import NarratePlatform
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP: validate the config again and switch to it only if it is valid.
final class ReloadService: Service {
    let state: DaemonState
    let logger: Logger
    let notifier: SystemdNotifier
    let wakeScheduler: Wakeup

    init(state: DaemonState, logger: Logger, notifier: SystemdNotifier, wakeScheduler: Wakeup) {
        self.state = state
        self.logger = logger
        self.notifier = notifier
        self.wakeScheduler = wakeScheduler
    }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        // Not `signals.cancelOnGracefulShutdown()`: its merge starts an unstructured task, which
        // prefers no executor and would start libdispatch's pool (QuietExecutor).
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                self.notifier.send("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())")
                if await self.state.reload(logger: self.logger) {
                    self.wakeScheduler.signal()
                }
                self.notifier.send("READY=1")
            }
        }
    }
}

/// Tells systemd's watchdog the daemon is alive, at half of `WATCHDOG_USEC`.
final class WatchdogService: Service {
    let notifier: SystemdNotifier
    let interval: TimeInterval

    init(notifier: SystemdNotifier, interval: TimeInterval) {
        self.notifier = notifier
        self.interval = interval
    }

    func run() async throws {
        let sleeper = Wakeup()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.notifier.send("WATCHDOG=1")
                await sleeper.wait(seconds: self.interval)
            }
        }
    }
}
