import NarrateModel
import NarrateReport

/// The few HTML helpers the server-rendered pages need: escaping, and one document shell with
/// a stylesheet readable at 360 px and no script.
enum HTML {
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    static func document(title: String, lang: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(escape(lang))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>
        """
    }

    static let style = """
        *{box-sizing:border-box}
        body{font:16px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans TC",sans-serif;margin:0;padding:12px;max-width:40rem;margin-inline:auto;color:#1d1d1f;background:#fafafa}
        h1{font-size:1.3rem;margin:.2rem 0 .6rem}
        h2{font-size:1.05rem;margin:1.2rem 0 .4rem}
        section,form.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 12px;margin:10px 0}
        label{display:block;font-weight:600;margin:.5rem 0 .2rem}
        textarea,input[type=text],select{width:100%;font:inherit;padding:8px;border:1px solid #bbb;border-radius:6px}
        textarea{min-height:3.2rem}
        fieldset{border:0;padding:0;margin:.4rem 0}
        legend{font-weight:600}
        .row{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
        .row label{display:inline;font-weight:400;margin:0 8px 0 0}
        button{font:inherit;padding:8px 14px;border-radius:6px;border:1px solid #0a5;background:#0a5;color:#fff;margin-top:.5rem}
        button.quiet{background:#fff;color:#333;border-color:#bbb;padding:4px 10px;margin:0}
        ul.items{list-style:none;padding:0;margin:0}
        ul.items li{border-top:1px solid #eee;padding:8px 0}
        .id{font-family:ui-monospace,monospace;color:#555;font-size:.9rem}
        .note{background:#e9f7ef;border:1px solid #0a5;border-radius:6px;padding:8px;margin:8px 0}
        .error{background:#fdecea;border-color:#c00}
        details summary{cursor:pointer;color:#055}
        figure.chart{margin:10px 0;background:#fff;border:1px solid #ddd;border-radius:8px;padding:6px}
        figure.chart figcaption{font-size:.9rem;color:#444}
        article.report{overflow-x:auto}
        article.report table{border-collapse:collapse;font-size:.85rem}
        article.report th,article.report td{border:1px solid #ddd;padding:4px}
        """
}
