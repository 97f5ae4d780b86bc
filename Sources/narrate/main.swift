import Foundation
import NarrateCLI
import NarratePlatform

// Every command runs on narrate's own threads, not on libdispatch's worker pool: see QuietExecutor.
exit(await QuietExecutor.run { await NarrateMain.run() })
