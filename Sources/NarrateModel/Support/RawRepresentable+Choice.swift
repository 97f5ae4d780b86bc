extension RawRepresentable where RawValue == String {
    /// The same choice in another type that spells its values alike: the API's generated enums
    /// and the model's (`Entry.Kind`, `Entry.Stage`, `Entry.State`). `OpenAPIContractTests`
    /// holds their values equal, so a value with no match is narrate's bug, not the caller's.
    package init<Choice: RawRepresentable>(sameAs choice: Choice) throws where Choice.RawValue == String {
        guard let value = Self(rawValue: choice.rawValue) else {
            throw NarrateError(.internal, "\(Self.self) has no \(choice.rawValue) (docs/openapi.yaml and the model differ)")
        }
        self = value
    }
}
