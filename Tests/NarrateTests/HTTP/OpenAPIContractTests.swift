import Foundation
import NarrateAPI
@testable import NarrateHTTP
import NarrateModel
@testable import NarrateStore
import Testing

/// The API's Swift types are generated from docs/openapi.yaml (scripts/generate-api.sh) and
/// committed; these hold the two together where the compiler cannot.
@Suite struct OpenAPIContractTests {
    static let root = CheckInBrowserTests.root

    /// An edit to the spec or the generator's settings without regenerating would let the
    /// server and the CLI answer to a contract the document no longer states.
    @Test func theGeneratedCodeIsFromTheSpecAsItIsNow() throws {
        let spec = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let settings = try String(contentsOf: Self.root.appendingPathComponent("scripts/openapi-generator-config.yaml"), encoding: .utf8)
        let generated = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Sources/NarrateAPI").path)
            .filter { $0.hasSuffix(".swift") }
        #expect(generated.count >= 3)
        for file in generated {
            let text = try String(contentsOf: Self.root.appendingPathComponent("Sources/NarrateAPI/\(file)"), encoding: .utf8)
            let recorded = text.split(separator: "\n").first { $0.hasPrefix("// spec-sha256: ") }?.dropFirst("// spec-sha256: ".count)
            #expect(
                recorded.map(String.init) == AccessToken.hash(of: spec + settings),
                "\(file) was generated from another docs/openapi.yaml; run scripts/generate-api.sh")
        }
    }

    /// Every kind, stage and state the model has is one the spec names, and no more: an entry
    /// the API cannot describe would fail at answer time.
    @Test func theSpecsChoicesAreTheModels() {
        #expect(Set(Entry.Kind.allCases.map(\.rawValue)) == Set(Components.Schemas.Kind.allCases.map(\.rawValue)))
        #expect(Set(Entry.Stage.allCases.map(\.rawValue)) == Set(Components.Schemas.Stage.allCases.map(\.rawValue)))
        #expect(Set(Entry.State.allCases.map(\.rawValue)) == Set(Components.Schemas.Entry.StatePayload.allCases.map(\.rawValue)))
        #expect(
            Set(Entry.State.allCases.filter { $0 != .open }.map(\.rawValue))
                == Set(Components.Schemas.EntryChange.StatePayload.allCases.map(\.rawValue)))
        #expect(
            Set(EntryChange.Action.allCases.map(\.rawValue))
                == Set(Operations.Undo.Output.Ok.Body.JsonPayload.UndonePayload.allCases.map(\.rawValue)))
        #expect(
            Set(NarrateError.Category.allCases.map(\.rawValue))
                == Set(Components.Schemas.Problem._ErrorPayload.CategoryPayload.allCases.map(\.rawValue)))
    }

    /// The generated decoder's refusals, in the API's words: the field, and for a choice the
    /// value sent and the values the spec takes.
    @Test(arguments: [
        (#"{"kind":"rant","text":"x"}"#, "kind", #""kind" is "rant", not one of progress, blocker, next, learned, win, helped, ask, decision"#),
        (#"{"kind":"progress"}"#, "text", #""text" is required"#),
        (#"{"kind":"progress","text":5}"#, "text", #""text" must be a string"#),
        (#"{"kind":"progress","text":"x","colour":"red"}"#, "colour", #"unknown field "colour""#),
        (#"[1]"#, "body", "the body must be a JSON object"),
        (#"{"kind":"#, "body", "the body is not valid JSON"),
    ])
    func aRefusedBodyIsNamedInTheAPIsWords(_ body: String, _ field: String, _ message: String) {
        do {
            _ = try JSONDecoder().decode(Components.Schemas.NewEntry.self, from: Data(body.utf8))
            Issue.record("\(body) was accepted")
        } catch let error as DecodingError {
            let problem = HTTPProblem.refused(error, parameter: nil)
            #expect(problem.field == field)
            #expect(problem.message == message)
        } catch {
            Issue.record("\(error)")
        }
    }
}
