//! Turns the HTML found in AWS model `documentation` strings into Markdown for rustdoc.
//!
//! Generated crates are documented with `RUSTDOCFLAGS="-D warnings"` and their doctests are run,
//! so model text must come out inert: no accidental intra-doc links, raw HTML, bare URLs or
//! indented/unlabelled code blocks (rustdoc would compile those as Rust). The model HTML is often
//! malformed, so the parser is deliberately forgiving and never fails.
//!
//! One stage per file, in pipeline order:
//! `tokenizer` (HTML text -> tags, text and decoded entities), `tree` (tokens -> elements, with the
//! HTML rules for implicitly closed tags), `blocks` (elements -> paragraphs, lists, tables, code and
//! their inline content), `markdown` (blocks -> Markdown lines) and `inline` (inline content ->
//! escaped CommonMark text). This file holds the entry points.

mod blocks;
mod inline;
mod markdown;
mod tokenizer;
mod tree;

use blocks::{collect_fullname, flow, Block, Inline, Sink};
use markdown::render_blocks;
use tokenizer::tokenize;
use tree::build_tree;

/// Converts one model documentation string to Markdown.
///
/// The result is normalised like [`doc_lines`]: no trailing whitespace, no leading or trailing
/// blank lines and never two blank lines in a row.
pub fn html_to_markdown(html: &str) -> String {
    let root = build_tree(tokenize(html));
    let mut sink = Sink::default();
    flow(&root.children, &mut sink);
    let mut blocks = sink.finish();
    if blocks.is_empty() {
        // `<fullname>` only repeats the service title, unless it is all there is.
        let mut title = String::new();
        collect_fullname(&root, &mut title);
        if !title.trim().is_empty() {
            blocks.push(Block::Para(vec![Inline::Text(title)]));
        }
    }
    let mut lines = Vec::new();
    render_blocks(&blocks, &mut lines);
    doc_lines(&lines.join("\n")).join("\n")
}

/// Splits Markdown into the lines to emit as `#[doc = " line"]` attributes.
///
/// Lines carry no trailing whitespace, there are no leading or trailing blank lines, and runs of
/// blank lines are collapsed to one.
pub fn doc_lines(markdown: &str) -> Vec<String> {
    let normalized = markdown.replace("\r\n", "\n");
    let mut out: Vec<String> = Vec::new();
    for line in normalized.split(['\n', '\r']) {
        let line = line.trim_end();
        let after_blank = out.last().map(String::is_empty).unwrap_or(true);
        if line.is_empty() && after_blank {
            continue;
        }
        out.push(line.to_string());
    }
    while out.last().is_some_and(|last| last.is_empty()) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        html_to_markdown(html)
    }

    #[test]
    fn malformed_input_does_not_panic() {
        let inputs = [
            "<",
            "<<",
            "<p",
            "<p class=",
            "<p class=\"x>",
            "</",
            "</p",
            "a < b > c",
            "<a href=x",
            "<!--",
            "<![CDATA[",
            "<?x",
            "<!x",
            "&",
            "&#",
            "&#x;",
            "&;",
            "<p/>",
            "<b><i>x</b></i>",
            "<ul><li><ul><li>",
            "</ul></li>",
            "<table><td>x",
            "<dl><dd>x",
            "<pre>",
            "<code>",
            "é<b>ü</b>日本語<i>字</i>",
            "<p>\u{0}\u{1b}[31m</p>",
            "<a href='https://x'>",
            "<li>x",
            "<dt>t",
            "<note>",
            "<h7>x</h7>",
            "<p =x>y</p>",
            "<p a=\"1\"b='2'c=3/>",
        ];
        for input in inputs {
            let out = md(input);
            assert!(!out.contains('\u{0}'), "{input:?} -> {out:?}");
        }
        let deep = "<b><i>".repeat(10_000) + "x" + &"</i></b>".repeat(10_000);
        assert!(md(&deep).contains('x'));
        let deep_lists = "<ul><li>".repeat(5_000) + "x";
        assert!(md(&deep_lists).contains('x'));
    }

    #[test]
    fn deterministic() {
        let html = "<p>a <b>b</b> <a href=\"https://x\">c</a></p><ul><li>d</li></ul>";
        assert_eq!(md(html), md(html));
    }

    #[test]
    fn doc_lines_normalises() {
        assert_eq!(
            doc_lines("\n\na  \n\n\n\nb\r\n\t\n c\n\n"),
            vec!["a", "", "b", "", " c"]
        );
        assert!(doc_lines("").is_empty());
        assert!(doc_lines(" \n\n").is_empty());
    }

    fn walk_docs<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("documentation", serde_json::Value::String(s)) => out.push(s),
                        _ => walk_docs(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk_docs(v, out)),
            _ => {}
        }
    }

    /// Where text starts on a line, after indentation and blockquote markers; `None` when some
    /// indentation goes past `limit`, the content column of the line before (four such spaces
    /// would start an indented code block, which rustdoc compiles as a doctest).
    fn text_start(line: &str, limit: usize) -> Option<usize> {
        let mut pos = 0;
        loop {
            let spaces = line[pos..].bytes().take_while(|&b| b == b' ').count();
            pos += spaces;
            if spaces > 0 && pos > limit {
                return None;
            }
            match line[pos..].strip_prefix('>') {
                Some(rest) => pos = line.len() - rest.strip_prefix(' ').unwrap_or(rest).len(),
                None => return Some(pos),
            }
        }
    }

    /// The column where continuation lines of this line's innermost list item start.
    fn column(line: &str, start: usize) -> usize {
        let mut col = start;
        loop {
            let rest = &line[col..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if rest.starts_with("- ") {
                col += 2;
            } else if digits > 0 && rest[digits..].starts_with(". ") {
                col += digits + 2;
            } else {
                return col;
            }
        }
    }

    /// Checks one line of text outside code blocks: code spans are balanced, and every
    /// unescaped `<` or `[` is markup this module emits on purpose.
    fn scan_line(line: &str) -> Result<(), String> {
        let chars: Vec<char> = line.chars().collect();
        let at = |i: usize, s: &str| chars[i..].iter().collect::<String>().starts_with(s);
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' => i += 2,
                '`' => {
                    let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                    let mut j = i + run;
                    loop {
                        if j >= chars.len() {
                            return Err(format!("unclosed code span at {i}"));
                        }
                        let other = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if other == run {
                            break;
                        }
                        j += other.max(1);
                    }
                    i = j + run;
                }
                '<' => {
                    let ok = ["<http://", "<https://", "<strong>", "</strong>", "<em>", "</em>"]
                        .iter()
                        .any(|s| at(i, s));
                    if !ok {
                        return Err(format!("raw `<` at {i}"));
                    }
                    i += 1;
                }
                '[' => {
                    i += 1;
                }
                ']' => {
                    if !at(i, "](http") {
                        return Err(format!("unescaped `]` at {i}"));
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        Ok(())
    }

    /// Properties every converted string must have so that rustdoc stays quiet and finds no
    /// doctest: normalised lines, labelled and closed fences, no text indented past the
    /// enclosing list item (which would start an indented code block), balanced code spans and
    /// no stray HTML or link syntax.
    fn check_invariants(html: &str, markdown: &str) {
        let lines: Vec<&str> = markdown.split('\n').collect();
        if markdown.is_empty() {
            return;
        }
        assert_eq!(doc_lines(markdown), lines, "not normalised: {html:?}");
        let mut fence: Option<String> = None;
        let mut prev_column = 0;
        for line in &lines {
            let body = line.trim_start_matches([' ', '>']);
            if let Some(open) = &fence {
                if body == open {
                    fence = None;
                }
                continue;
            }
            if body.is_empty() {
                continue;
            }
            let Some(start) = text_start(line, prev_column) else {
                panic!("over-indented {line:?} in {markdown:?} from {html:?}");
            };
            prev_column = column(line, start);
            let text = &line[prev_column..];
            if text.starts_with("```") {
                assert!(text.ends_with("`text"), "unlabelled fence {line:?} from {html:?}");
                fence = Some(text.trim_end_matches("text").to_string());
                continue;
            }
            if let Err(e) = scan_line(text) {
                panic!("{e} in {line:?} from {html:?}");
            }
        }
        assert!(fence.is_none(), "unclosed fence in {markdown:?}");
    }

    #[test]
    fn every_ecs_documentation_string() {
        // The full ECS model from the shared test data, which sits beside the repository (here and in CI).
        let path = std::env::var("AWSGEN_ECS_MODEL").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/testsuites/botocore-models/ecs/2014-11-13/service-2.json"
            )
            .to_string()
        });
        let text = std::fs::read_to_string(&path).expect("read the ECS model");
        let model: serde_json::Value = serde_json::from_str(&text).expect("parse the ECS model");
        let mut docs = Vec::new();
        walk_docs(&model, &mut docs);
        assert!(docs.len() > 1000, "only {} documentation strings", docs.len());
        for html in docs {
            let markdown = html_to_markdown(html);
            check_invariants(html, &markdown);
            assert!(
                html.trim().is_empty() || !markdown.is_empty() || !html.contains(|c: char| c.is_alphanumeric()),
                "lost everything from {html:?}"
            );
        }
    }
}
