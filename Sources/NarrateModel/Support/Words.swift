/// Counts as English says them: "1 team", "2 teams", "1 person", "3 people".
public enum Words {
    public static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }
}
