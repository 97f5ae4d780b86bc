import NarrateCLI
import NarrateCore

// Every command runs on narrate's own threads, not on libdispatch's worker pool: see QuietExecutor.
await QuietExecutor.run { await NarrateMain.run() }
