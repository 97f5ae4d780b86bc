public enum NarrateVersion { public static let string = "0.1.0" }
