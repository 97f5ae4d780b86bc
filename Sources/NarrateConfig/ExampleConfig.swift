import NarrateModel
import NarrateTOML
import NarrateTargets
/// The commented example config `narrate init` writes; `config/narrate.example.toml` is a copy
/// (a test keeps the two identical).
public enum ExampleConfig {
    public static let text = #"""
# narrate configuration — see docs/configuration.md for every key.
# `narrate check` validates this file; each problem is printed as FILE:LINE: message.

[narrate]
timezone = "Asia/Taipei"          # default zone for teams, people and schedules (IANA name)
locale = "en"                     # en | zh-Hant
# state_dir = "/var/lib/narrate"  # default: $STATE_DIRECTORY, else $XDG_STATE_HOME/narrate, else ~/.local/state/narrate
# templates_dir = "templates"     # your own templates override the bundled ones by name

# People write their work narrative: progress, blockers, next actions, learnings.
[[person]]
id = "alice"
name = "Alice Chen"
unix_user = "alice"               # `narrate log` without --as picks the person whose unix_user is $USER

[[person]]
id = "bob"
name = "Bob Lin"
unix_user = "bob"

[[person]]
id = "chen"
name = "Chen Wei"
unix_user = "chen"

[[person]]
id = "dana"
name = "Dana Hsu"
unix_user = "dana"

[[person]]
id = "erin"
name = "Erin Wu"                  # the team's manager; not a member, reads the manager digest

[[team]]
id = "platform"
name = "Platform"
members = ["alice", "bob", "chen", "dana"]
manager = "erin"
targets = ["terminal", "archive"]
escalate_after = "5d"             # open blockers older than this are marked for the manager

# Every core KPI names at least one guardrail: the metric that would worsen if the KPI
# were bought with a side effect (speed vs quality, quantity vs cost).
[[kpi]]
id = "lead-time"
team = "platform"
name = "PR lead time"
name_zh-Hant = "PR 前置時間"       # names and units per locale; hours, minutes, days translate themselves
kind = "average"                  # count | ratio | average | change
unit = "hours"
direction = "down"                # which way is better
target = 24
horizon = "leading"               # leading | lagging
review = "weekly"                 # daily | weekly | monthly | quarterly
guardrails = ["change-failure-rate"]
objective = "Small changes reach users the day they are ready"   # why it matters
by = "2027-03-31"                 # when the target is due
owner = "alice"                   # named in the report's asks when it needs attention
drives = ["deploy-frequency"]     # the lagging KPI this leading one should move

[[kpi]]
id = "deploy-frequency"
team = "platform"
name = "Deploys per week"
name_zh-Hant = "每週部署次數"
kind = "count"
unit = "deploys"
unit_zh-Hant = "次部署"
direction = "up"
target = 10
horizon = "lagging"
review = "weekly"
guardrails = ["incident-minutes"]
objective = "Ship in small, safe steps"
by = "2027-03-31"

[[kpi]]
id = "change-failure-rate"
team = "platform"
name = "Change failure rate"
name_zh-Hant = "變更失敗率"
role = "guardrail"
kind = "ratio"
unit = "%"
direction = "down"
limit = 15                        # breached when worse than this
warn_at = 12                      # "near its ceiling" from here
review = "weekly"

[[kpi]]
id = "incident-minutes"
team = "platform"
name = "Customer-facing incident minutes"
name_zh-Hant = "影響客戶的事故分鐘數"
role = "guardrail"
kind = "count"
unit = "minutes"
direction = "down"
limit = 120
review = "weekly"

[[schedule]]
id = "platform-weekly"
team = "platform"
cron = "0 17 * * FRI"             # minute hour day-of-month month day-of-week
timezone = "Asia/Taipei"
period = "week"                   # since-last | day | week | month | quarter
catch_up = "2h"                   # a slot missed by less than this still runs once
# remind_before = "3h"            # remind who has not checked in yet (docs/reminders.md)

[[target]]
id = "terminal"
kind = "stdout"

[[target]]
id = "archive"
kind = "file"
path = "reports/{team}-{date}.md" # relative paths are under the state dir

# A chat target reads its webhook URL from a file or the environment, never from here:
# [[target]]
# id = "platform-chat"
# kind = "slack"
# url_file = "/run/credentials/narrate.service/platform-chat"

# People check in from their phone, Slack, Mattermost, Discord or a script through the
# check-in service (docs/http.md); `narrate run` serves it when this table is present:
# [http]
# listen = "127.0.0.1:8470"
# public_url = "https://narrate.example.org"
# slack_signing_secret_file = "slack-signing"

# Several instances on one PostgreSQL database instead of the SQLite file (docs/store.md);
# `narrate migrate` creates its schema, `narrate store copy --from sqlite:PATH` moves a store:
# [store]
# url = "postgres://narrate@db.example.org/narrate?sslmode=verify-full"
# password_file = "db-password"
"""#
}
