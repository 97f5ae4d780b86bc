/// Where a personal message's check-in link goes. The outbox keeps the placeholder, never a
/// token: the courier puts a freshly made link in its place when it sends the message.
public enum CheckInLink {
    public static let placeholder = "NARRATE-CHECKIN-LINK"
}
