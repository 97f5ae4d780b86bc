import Mustache
import NarrateModel

/// The check-in service's HTML pages, rendered through the Mustache templates in
/// `templates/pages/` (bundled): `document` (the shell and its stylesheet), `checkin`, `team`
/// and `chart`. Values are HTML-escaped by the templates; only `{{{…}}}` places HTML made by
/// another template or by cmark-gfm from escaped Markdown.
public enum PageRenderer {
    /// The pages' templates, compiled once.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in BundledTemplates.all where name.hasPrefix("pages/") {
            // The bundled pages are held to parse by the tests; one that did not would be a build defect.
            guard let template = try? MustacheTemplate(string: text) else { preconditionFailure("\(name) does not parse") }
            library.register(template, named: name)
        }
        return library
    }()

    /// One page template (`checkin`, `team`, `chart`) over `values`.
    public static func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: "pages/\(name)") ?? ""
    }

    /// A whole document: `body` (HTML) in the shell, with its title and language.
    public static func document(title: String, lang: String, body: String) -> String {
        render("document", ["title": title, "lang": lang, "body": body])
    }
}
