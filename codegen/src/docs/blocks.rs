//! Element tree -> blocks (paragraphs, headings, code, lists, quotes, tables, rules) holding inline
//! content (text, code, breaks, emphasis, links). Decides what survives: only absolute web links,
//! admonitions as labelled quotes, definition lists as bullet lists of bold terms, misplaced table
//! content shown before the table.

use super::tree::{is_block, is_list, kind, Elem, Kind, Node};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Style {
    Bold,
    Italic,
}

#[derive(Clone, Debug)]
pub(super) enum Inline {
    Text(String),
    Code(String),
    Break,
    Styled(Style, Vec<Inline>),
    Link(String, Vec<Inline>),
}

#[derive(Debug)]
pub(super) enum Block {
    Para(Vec<Inline>),
    Heading(usize, Vec<Inline>),
    Code(String),
    List { ordered: bool, items: Vec<Vec<Block>> },
    Quote(Vec<Block>),
    Table(Vec<Vec<Vec<Inline>>>),
    Rule,
}

#[derive(Default)]
pub(super) struct Sink {
    blocks: Vec<Block>,
    para: Vec<Inline>,
}

impl Sink {
    fn flush(&mut self) {
        let para = std::mem::take(&mut self.para);
        if has_content(&para) {
            self.blocks.push(Block::Para(para));
        }
    }

    fn block(&mut self, block: Block) {
        self.flush();
        self.blocks.push(block);
    }

    pub(super) fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }
}

fn has_content(inlines: &[Inline]) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::Text(t) => !t.trim().is_empty(),
        Inline::Code(_) | Inline::Link(..) => true,
        Inline::Break => false,
        Inline::Styled(_, inner) => has_content(inner),
    })
}

#[derive(Clone, Copy, Default)]
struct InlineCtx {
    no_breaks: bool,
    in_link: bool,
}

fn style_of(name: &str) -> Option<Style> {
    match name {
        "b" | "strong" => Some(Style::Bold),
        "i" | "em" | "emphasis" | "cite" | "dfn" | "var" | "replaceable" => Some(Style::Italic),
        _ => None,
    }
}

fn is_code(name: &str) -> bool {
    matches!(
        name,
        "code"
            | "tt"
            | "kbd"
            | "samp"
            | "function"
            | "filename"
            | "literal"
            | "command"
            | "userinput"
            | "computeroutput"
    )
}

fn is_pre(name: &str) -> bool {
    matches!(name, "pre" | "programlisting" | "screen")
}

fn heading_level(name: &str) -> Option<usize> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(usize::from(d - b'0')),
        _ => None,
    }
}

fn admonition(name: &str) -> Option<&'static str> {
    match name {
        "note" => Some("Note"),
        "important" => Some("Important"),
        "warning" => Some("Warning"),
        "tip" => Some("Tip"),
        "caution" => Some("Caution"),
        _ => None,
    }
}

/// Only absolute web links survive: a relative or `mailto:` target would be read by rustdoc as
/// an intra-doc link, or lead nowhere.
fn link_target(e: &Elem) -> Option<String> {
    let href = match e.name.as_str() {
        "a" => e.attr("href")?,
        "ulink" => e.attr("url")?,
        _ => return None,
    }
    .trim();
    let lower = href.to_ascii_lowercase();
    let scheme = ["https://", "http://"].into_iter().find(|s| lower.starts_with(s))?;
    (href.len() > scheme.len()).then(|| href.to_string())
}

fn text_content(e: &Elem, out: &mut String) {
    for child in &e.children {
        match child {
            Node::Text(t) => out.push_str(t),
            Node::Elem(c) if c.name == "br" => out.push('\n'),
            Node::Elem(c) => {
                let block = is_block(&c.name);
                if block {
                    out.push('\n');
                }
                text_content(c, out);
                if block {
                    out.push('\n');
                }
            }
        }
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalises preformatted text; `None` when nothing visible is left.
fn code_block_text(raw: &str) -> Option<String> {
    let text = raw.replace("\r\n", "\n").replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty())?;
    let last = lines.iter().rposition(|l| !l.is_empty())?;
    let lines = lines.get(first..=last)?;
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let dedented: Vec<&str> = lines.iter().map(|l| l.get(indent..).unwrap_or("")).collect();
    Some(dedented.join("\n"))
}

fn multiline_code(e: &Elem) -> Option<String> {
    let mut raw = String::new();
    text_content(e, &mut raw);
    if raw.trim().contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
        code_block_text(&raw)
    } else {
        None
    }
}

/// Elements that cannot be flattened into a line of text; an inline element wrapping one of
/// them is treated as transparent rather than squashing the structure.
fn contains_structural(e: &Elem) -> bool {
    e.children.iter().any(|child| match child {
        Node::Text(_) => false,
        Node::Elem(c) => {
            let name = c.name.as_str();
            is_list(name)
                || is_pre(name)
                || heading_level(name).is_some()
                || admonition(name).is_some()
                || matches!(
                    name,
                    "dl" | "dt" | "dd" | "li" | "listitem" | "table" | "tr" | "td" | "th" | "blockquote" | "hr"
                )
                || (is_code(name) && multiline_code(c).is_some())
                || contains_structural(c)
        }
    })
}

fn flow_new(nodes: &[Node]) -> Vec<Block> {
    let mut sink = Sink::default();
    flow(nodes, &mut sink);
    sink.finish()
}

pub(super) fn flow(nodes: &[Node], sink: &mut Sink) {
    for node in nodes {
        match node {
            Node::Text(t) => sink.para.push(Inline::Text(t.clone())),
            Node::Elem(e) => flow_elem(e, sink),
        }
    }
}

fn flow_elem(e: &Elem, sink: &mut Sink) {
    let name = e.name.as_str();
    if name == "br" {
        sink.para.push(Inline::Break);
    } else if name == "hr" {
        sink.block(Block::Rule);
    } else if name == "fullname" || kind(name) == Some(Kind::Void) {
        // `<fullname>` duplicates the crate title; other void elements carry no text.
    } else if is_pre(name) {
        let mut raw = String::new();
        text_content(e, &mut raw);
        match code_block_text(&raw) {
            Some(code) => sink.block(Block::Code(code)),
            None => sink.flush(),
        }
    } else if is_code(name) && multiline_code(e).is_some() {
        if let Some(code) = multiline_code(e) {
            sink.block(Block::Code(code));
        }
    } else if let Some(level) = heading_level(name) {
        let mut inlines = Vec::new();
        let ctx = InlineCtx {
            no_breaks: true,
            ..InlineCtx::default()
        };
        inline_children(e, &mut inlines, ctx);
        sink.flush();
        if has_content(&inlines) {
            sink.blocks.push(Block::Heading(level, inlines));
        }
    } else if is_list(name) {
        let ordered = matches!(name, "ol" | "orderedlist");
        let items = list_items(e);
        sink.flush();
        if !items.is_empty() {
            sink.blocks.push(Block::List { ordered, items });
        }
    } else if name == "dl" {
        let items = definition_items(e);
        sink.flush();
        if !items.is_empty() {
            sink.blocks.push(Block::List { ordered: false, items });
        }
    } else if matches!(name, "li" | "listitem") {
        // A stray item outside any list still reads best as a bullet.
        let blocks = flow_new(&e.children);
        sink.flush();
        if !blocks.is_empty() {
            sink.blocks.push(Block::List {
                ordered: false,
                items: vec![blocks],
            });
        }
    } else if name == "dt" {
        let mut inlines = Vec::new();
        inline_children(e, &mut inlines, InlineCtx::default());
        sink.flush();
        if has_content(&inlines) {
            sink.blocks
                .push(Block::Para(vec![Inline::Styled(Style::Bold, inlines)]));
        }
    } else if let Some(label) = admonition(name) {
        let mut blocks = flow_new(&e.children);
        sink.flush();
        if !blocks.is_empty() {
            let label = Inline::Styled(Style::Bold, vec![Inline::Text(format!("{label}:"))]);
            match blocks.first_mut() {
                Some(Block::Para(first)) => {
                    first.insert(0, Inline::Text(" ".to_string()));
                    first.insert(0, label);
                }
                _ => blocks.insert(0, Block::Para(vec![label])),
            }
            sink.blocks.push(Block::Quote(blocks));
        }
    } else if name == "blockquote" {
        let blocks = flow_new(&e.children);
        sink.flush();
        if !blocks.is_empty() {
            sink.blocks.push(Block::Quote(blocks));
        }
    } else if name == "table" {
        let mut rows = Vec::new();
        let mut foster = Vec::new();
        table_rows(e, &mut rows, &mut foster);
        sink.flush();
        for node in foster {
            flow(std::slice::from_ref(node), sink);
        }
        sink.flush();
        if rows.iter().any(|row| !row.is_empty()) {
            sink.blocks.push(Block::Table(rows));
        }
    } else if !is_block(name) {
        if contains_structural(e) {
            flow(&e.children, sink);
        } else {
            inline_elem(e, &mut sink.para, InlineCtx::default());
        }
    } else {
        sink.flush();
        flow(&e.children, sink);
        sink.flush();
    }
}

fn list_items(e: &Elem) -> Vec<Vec<Block>> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    for child in &e.children {
        match child {
            Node::Elem(c) if matches!(c.name.as_str(), "li" | "listitem") => {
                // An empty item would print as a bare `-`, which can turn the line above into a
                // setext heading.
                let blocks = flow_new(&c.children);
                if !blocks.is_empty() {
                    items.push(blocks);
                }
            }
            Node::Text(t) if t.trim().is_empty() => {}
            // Content between items (typically a nested `<ul>` placed directly in the outer
            // list) belongs to the preceding item.
            other => {
                let blocks = flow_new(std::slice::from_ref(other));
                if blocks.is_empty() {
                    continue;
                }
                match items.last_mut() {
                    Some(last) => last.extend(blocks),
                    None => items.push(blocks),
                }
            }
        }
    }
    items
}

/// A definition list becomes a bullet list of bold terms, each followed by its definitions;
/// Markdown has no definition lists that rustdoc renders.
fn definition_items(e: &Elem) -> Vec<Vec<Block>> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    for child in &e.children {
        match child {
            Node::Elem(c) if c.name == "dt" => {
                let mut inlines = Vec::new();
                inline_children(c, &mut inlines, InlineCtx::default());
                if has_content(&inlines) {
                    items.push(vec![Block::Para(vec![Inline::Styled(Style::Bold, inlines)])]);
                }
            }
            Node::Text(t) if t.trim().is_empty() => {}
            other => {
                let blocks = match other {
                    Node::Elem(c) if c.name == "dd" => flow_new(&c.children),
                    _ => flow_new(std::slice::from_ref(other)),
                };
                if blocks.is_empty() {
                    continue;
                }
                match items.last_mut() {
                    Some(last) => last.extend(blocks),
                    None => items.push(blocks),
                }
            }
        }
    }
    items
}

/// Collects the rows of a table. Cells outside any row form a row of their own, and anything
/// else misplaced in the table goes to `foster`, to be shown before it as HTML parsers do.
fn table_rows<'a>(e: &'a Elem, rows: &mut Vec<Vec<Vec<Inline>>>, foster: &mut Vec<&'a Node>) {
    let ctx = InlineCtx {
        no_breaks: true,
        ..InlineCtx::default()
    };
    let cell = |c: &Elem| {
        let mut inlines = Vec::new();
        inline_children(c, &mut inlines, ctx);
        inlines
    };
    let mut loose = Vec::new();
    for child in &e.children {
        match child {
            Node::Elem(c) if matches!(c.name.as_str(), "td" | "th") => loose.push(cell(c)),
            Node::Elem(c) if matches!(c.name.as_str(), "thead" | "tbody" | "tfoot" | "tr") => {
                if !loose.is_empty() {
                    rows.push(std::mem::take(&mut loose));
                }
                if c.name != "tr" {
                    table_rows(c, rows, foster);
                    continue;
                }
                let mut row = Vec::new();
                for grandchild in &c.children {
                    match grandchild {
                        Node::Elem(g) if matches!(g.name.as_str(), "td" | "th") => row.push(cell(g)),
                        Node::Text(t) if t.trim().is_empty() => {}
                        other => foster.push(other),
                    }
                }
                rows.push(row);
            }
            Node::Text(t) if t.trim().is_empty() => {}
            other => foster.push(other),
        }
    }
    if !loose.is_empty() {
        rows.push(loose);
    }
}

fn inline_children(e: &Elem, out: &mut Vec<Inline>, ctx: InlineCtx) {
    for child in &e.children {
        match child {
            Node::Text(t) => out.push(Inline::Text(t.clone())),
            Node::Elem(c) => inline_elem(c, out, ctx),
        }
    }
}

fn inline_elem(e: &Elem, out: &mut Vec<Inline>, ctx: InlineCtx) {
    let name = e.name.as_str();
    if name == "br" {
        out.push(if ctx.no_breaks {
            Inline::Text(" ".to_string())
        } else {
            Inline::Break
        });
    } else if name == "fullname" || kind(name) == Some(Kind::Void) {
    } else if is_code(name) || is_pre(name) {
        code_inline(e, out, ctx);
    } else if let Some(style) = style_of(name) {
        let mut inner = Vec::new();
        inline_children(e, &mut inner, ctx);
        out.push(Inline::Styled(style, inner));
    } else if let Some(url) = link_target(e).filter(|_| !ctx.in_link) {
        let mut inner = Vec::new();
        let ctx = InlineCtx { in_link: true, ..ctx };
        inline_children(e, &mut inner, ctx);
        out.push(Inline::Link(url, inner));
    } else if let Some(label) = admonition(name) {
        out.push(Inline::Text(" ".to_string()));
        out.push(Inline::Styled(Style::Bold, vec![Inline::Text(format!("{label}:"))]));
        out.push(Inline::Text(" ".to_string()));
        inline_children(e, out, ctx);
        out.push(Inline::Text(" ".to_string()));
    } else if is_block(name) {
        out.push(Inline::Text(" ".to_string()));
        inline_children(e, out, ctx);
        out.push(Inline::Text(" ".to_string()));
    } else {
        inline_children(e, out, ctx);
    }
}

fn code_inline(e: &Elem, out: &mut Vec<Inline>, ctx: InlineCtx) {
    // `<code><a href="...">X</a></code>` keeps its link, as `[`X`](...)`.
    let mut significant = e.children.iter().filter(|child| match child {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Elem(_) => true,
    });
    if let (Some(Node::Elem(only)), None) = (significant.next(), significant.next()) {
        if let Some(url) = link_target(only).filter(|_| !ctx.in_link) {
            let mut raw = String::new();
            text_content(only, &mut raw);
            let text = collapse_ws(&raw);
            let inner = if text.is_empty() {
                Vec::new()
            } else {
                vec![Inline::Code(text)]
            };
            out.push(Inline::Link(url, inner));
            return;
        }
    }
    let mut raw = String::new();
    text_content(e, &mut raw);
    let text = collapse_ws(&raw);
    if !text.is_empty() {
        out.push(Inline::Code(text));
    }
}

pub(super) fn collect_fullname(e: &Elem, out: &mut String) {
    for child in &e.children {
        if let Node::Elem(c) = child {
            if c.name == "fullname" {
                let mut raw = String::new();
                text_content(c, &mut raw);
                out.push_str(&raw);
                out.push(' ');
            } else {
                collect_fullname(c, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::docs::html_to_markdown as md;

    #[test]
    fn definition_lists() {
        assert_eq!(
            md("<dl><dt>200</dt><dd><p>OK.</p></dd><dt>301</dt><dd>Moved.</dd></dl>"),
            "- **200**\n\n  OK.\n\n- **301**\n\n  Moved."
        );
    }

    #[test]
    fn admonitions() {
        assert_eq!(
            md("<note><p>Careful.</p><p>More.</p></note>"),
            "> **Note:** Careful.\n>\n> More."
        );
        assert_eq!(md("<important>Do it.</important>"), "> **Important:** Do it.");
        assert_eq!(md("<note><ul><li>x</li></ul></note>"), "> **Note:**\n>\n> - x");
    }

    #[test]
    fn headings_divs_and_fullname() {
        assert_eq!(
            md("<h2>Title #1 {x}</h2><div>Body</div>"),
            "## Title \\#1 \\{x\\}\n\nBody"
        );
        assert_eq!(md("<fullname>Amazon ECS</fullname><p>Body</p>"), "Body");
        assert_eq!(md("<fullname>Amazon ECS</fullname>"), "Amazon ECS");
    }
}
