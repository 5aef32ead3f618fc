//! Turns the HTML found in AWS model `documentation` strings into Markdown for rustdoc.
//!
//! Generated crates are documented with `RUSTDOCFLAGS="-D warnings"` and their doctests are run,
//! so model text must come out inert: no accidental intra-doc links, raw HTML, bare URLs or
//! indented/unlabelled code blocks (rustdoc would compile those as Rust). The model HTML is often
//! malformed, so the parser below is deliberately forgiving and never fails.

use std::collections::HashMap;

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

// ---------------------------------------------------------------------------------------------
// Tokenizer

#[derive(Debug)]
enum Token {
    Text(String),
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
        raw: String,
    },
    End {
        name: String,
    },
}

fn tokenize(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut unterminated = Unterminated::default();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            if let Some((token, end)) = markup(src, i, &mut unterminated) {
                if text_start < i {
                    tokens.push(Token::Text(decode_entities(&src[text_start..i])));
                }
                tokens.extend(token);
                i = end;
                text_start = end;
                continue;
            }
        }
        i += 1;
    }
    if text_start < src.len() {
        tokens.push(Token::Text(decode_entities(&src[text_start..])));
    }
    tokens
}

/// Remembers that a comment or CDATA section never ends, so that each later opener does not
/// rescan the rest of the input (quadratic on hostile input).
#[derive(Default)]
struct Unterminated {
    comment: bool,
    cdata: bool,
}

fn tag_name_len(s: &str) -> usize {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .count()
}

/// Parses the markup starting at `src[start] == '<'`. `None` means the `<` is plain text, which
/// is how a stray `<` (as in `a < b`, or a tag that never ends) has to be read.
fn markup(src: &str, start: usize, unterminated: &mut Unterminated) -> Option<(Option<Token>, usize)> {
    let rest = &src[start..];
    if let Some(body) = rest.strip_prefix("<!--") {
        if unterminated.comment {
            return None;
        }
        let Some(close) = body.find("-->") else {
            unterminated.comment = true;
            return None;
        };
        return Some((None, start + 4 + close + 3));
    }
    if let Some(body) = rest.strip_prefix("<![CDATA[") {
        if unterminated.cdata {
            return None;
        }
        let Some(close) = body.find("]]>") else {
            unterminated.cdata = true;
            return None;
        };
        // Models wrap already-escaped text in CDATA (`<![CDATA[&amp;]]>` meaning `&`).
        let text = decode_entities(&body[..close]);
        return Some((Some(Token::Text(text)), start + 9 + close + 3));
    }
    let b = rest.as_bytes();
    match b.get(1).copied() {
        Some(b'!') | Some(b'?') => {
            let close = rest[1..].find(['>', '<'])? + 1;
            (b[close] == b'>').then_some((None, start + close + 1))
        }
        Some(b'/') => {
            if !b.get(2)?.is_ascii_alphabetic() {
                return None;
            }
            let name_len = tag_name_len(&rest[2..]);
            let name = rest[2..2 + name_len].to_ascii_lowercase();
            let after = 2 + name_len;
            let close = rest[after..].find(['>', '<'])? + after;
            (b[close] == b'>').then_some((Some(Token::End { name }), start + close + 1))
        }
        Some(c) if c.is_ascii_alphabetic() => start_tag(rest).map(|(t, len)| (Some(t), start + len)),
        _ => None,
    }
}

fn start_tag(rest: &str) -> Option<(Token, usize)> {
    let b = rest.as_bytes();
    let name_len = tag_name_len(&rest[1..]);
    let name = rest[1..1 + name_len].to_ascii_lowercase();
    let mut pos = 1 + name_len;
    let mut attrs = Vec::new();
    let skip_ws = |pos: &mut usize| {
        while b.get(*pos).is_some_and(|c| c.is_ascii_whitespace()) {
            *pos += 1;
        }
    };
    let self_closing = loop {
        skip_ws(&mut pos);
        match b.get(pos).copied()? {
            b'>' => {
                pos += 1;
                break false;
            }
            b'/' if b.get(pos + 1) == Some(&b'>') => {
                pos += 2;
                break true;
            }
            b'/' | b'=' => pos += 1,
            // `<foo <b>` is text followed by a tag, not a tag with a `<b` attribute.
            b'<' => return None,
            _ => {
                let name_start = pos;
                while let Some(&c) = b.get(pos) {
                    if c.is_ascii_whitespace() || matches!(c, b'=' | b'>' | b'<' | b'/') {
                        break;
                    }
                    pos += 1;
                }
                let attr = rest[name_start..pos].to_ascii_lowercase();
                skip_ws(&mut pos);
                let mut value = "";
                if b.get(pos) == Some(&b'=') {
                    pos += 1;
                    skip_ws(&mut pos);
                    match b.get(pos).copied() {
                        Some(q @ (b'"' | b'\'')) => {
                            let close = rest[pos + 1..].find(q as char)? + pos + 1;
                            value = &rest[pos + 1..close];
                            pos = close + 1;
                        }
                        _ => {
                            let value_start = pos;
                            while let Some(&c) = b.get(pos) {
                                if c.is_ascii_whitespace() || matches!(c, b'>' | b'<') {
                                    break;
                                }
                                pos += 1;
                            }
                            value = &rest[value_start..pos];
                        }
                    }
                }
                attrs.push((attr, decode_entities(value)));
            }
        }
    };
    let raw = rest[..pos].to_string();
    Some((
        Token::Start {
            name,
            attrs,
            self_closing,
            raw,
        },
        pos,
    ))
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        push_clean(&mut out, &rest[..amp]);
        let after = &rest[amp + 1..];
        match entity(after) {
            Some((c, len)) => {
                push_clean(&mut out, c.encode_utf8(&mut [0; 4]));
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    push_clean(&mut out, rest);
    out
}

/// Drops characters that must never reach a doc attribute: control characters (a bare CR is a
/// compile error in doc comments) and bidi overrides (`text_direction_codepoint_in_literal` is
/// deny-by-default).
fn push_clean(out: &mut String, s: &str) {
    out.extend(s.chars().filter(|&c| {
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}');
        !control && !bidi
    }));
}

/// Decodes the entity whose `&` precedes `s`; returns the character and the bytes consumed.
fn entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(33).position(|b| b == b';')?;
    let body = &s[..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        numeric_char(u32::from_str_radix(digits, radix).unwrap_or(u32::MAX))
    } else {
        named_entity(body)?
    };
    Some((c, semi + 1))
}

fn numeric_char(code: u32) -> char {
    // HTML reads 0x80..=0x9F as Windows-1252; the models use `&#150;` for an en dash.
    const CP1252: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let code = match code {
        0x80..=0x9F => CP1252[(code - 0x80) as usize],
        0 => 0xFFFD,
        _ => code,
    };
    char::from_u32(code).unwrap_or('\u{FFFD}')
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "amp" | "AMP" => '&',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwsp" => '\u{200B}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "shy" => '\u{AD}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "bull" => '•',
        "middot" => '·',
        "prime" => '′',
        "Prime" => '″',
        "dagger" => '†',
        "Dagger" => '‡',
        "permil" => '‰',
        "deg" => '°',
        "plusmn" => '±',
        "times" => '×',
        "divide" => '÷',
        "minus" => '−',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "asymp" => '≈',
        "infin" => '∞',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "rArr" => '⇒',
        "lArr" => '⇐',
        "hArr" => '⇔',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "para" => '¶',
        "sect" => '§',
        "cent" => '¢',
        "pound" => '£',
        "euro" => '€',
        "yen" => '¥',
        "curren" => '¤',
        "micro" => 'µ',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "iexcl" => '¡',
        "iquest" => '¿',
        "check" => '✓',
        "alpha" => 'α',
        "beta" => 'β',
        "gamma" => 'γ',
        "delta" => 'δ',
        "lambda" => 'λ',
        "mu" => 'μ',
        "pi" => 'π',
        "sigma" => 'σ',
        "Delta" => 'Δ',
        "Sigma" => 'Σ',
        "Omega" => 'Ω',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "oacute" => 'ó',
        "iacute" => 'í',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "ccedil" => 'ç',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Tree

#[derive(Debug, Default)]
struct Elem {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Text(String),
    Elem(Elem),
}

impl Elem {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Void,
    Inline,
    /// Holds only inline content; a new block start ends it, as `<p>` does in HTML.
    Leaf,
    Container,
}

fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        "br" | "hr" | "img" | "wbr" | "input" | "meta" | "col" | "area" | "embed" | "source" | "track" | "param"
        | "base" => Kind::Void,
        "p" | "para" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "programlisting" | "screen" | "fullname"
        | "caption" => Kind::Leaf,
        "ul" | "ol" | "li" | "dl" | "dt" | "dd" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"
        | "div" | "note" | "important" | "warning" | "tip" | "caution" | "blockquote" | "section" | "article"
        | "header" | "footer" | "aside" | "nav" | "figure" | "details" | "summary" | "center" | "body" | "html"
        | "zonbook" | "xhtml" | "itemizedlist" | "orderedlist" | "listitem" => Kind::Container,
        "a" | "ulink" | "link" | "xref" | "b" | "strong" | "i" | "em" | "emphasis" | "cite" | "dfn" | "var"
        | "replaceable" | "code" | "tt" | "kbd" | "samp" | "function" | "filename" | "literal" | "command"
        | "userinput" | "computeroutput" | "u" | "span" | "sup" | "sub" | "small" | "big" | "s" | "strike" | "del"
        | "ins" | "mark" | "abbr" | "acronym" | "q" | "font" | "label" | "nobr" | "time" | "data" => Kind::Inline,
        _ => return None,
    })
}

fn is_block(name: &str) -> bool {
    matches!(kind(name), Some(Kind::Leaf | Kind::Container))
}

fn is_list(name: &str) -> bool {
    matches!(name, "ul" | "ol" | "itemizedlist" | "orderedlist")
}

/// Deeper nesting is ignored (its text is kept) so that recursion stays shallow on hostile input.
const MAX_DEPTH: usize = 64;

fn build_tree(tokens: Vec<Token>) -> Elem {
    // An unknown tag that is never closed is a placeholder such as `arn:...:<region>:...`, which
    // must stay visible text rather than vanish as markup.
    let mut last_end: HashMap<String, usize> = HashMap::new();
    for (idx, token) in tokens.iter().enumerate() {
        if let Token::End { name } = token {
            last_end.insert(name.clone(), idx);
        }
    }
    let mut stack = vec![Elem::default()];
    for (idx, token) in tokens.into_iter().enumerate() {
        match token {
            Token::Text(text) => push_text(&mut stack, text),
            Token::Start {
                name,
                attrs,
                self_closing,
                raw,
            } => {
                let k = match kind(&name) {
                    Some(k) => k,
                    None if !self_closing && last_end.get(&name).is_some_and(|&end| end > idx) => Kind::Inline,
                    None => {
                        push_text(&mut stack, decode_entities(&raw));
                        continue;
                    }
                };
                if k != Kind::Void && !self_closing && stack.len() > MAX_DEPTH {
                    continue;
                }
                if matches!(k, Kind::Leaf | Kind::Container) {
                    implicit_close(&mut stack, &name);
                }
                let elem = Elem {
                    name,
                    attrs,
                    children: Vec::new(),
                };
                if k == Kind::Void || self_closing {
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Node::Elem(elem));
                    }
                } else {
                    stack.push(elem);
                }
            }
            Token::End { name } => {
                if let Some(j) = find_open(&stack, &name) {
                    pop_to(&mut stack, j);
                }
            }
        }
    }
    pop_to(&mut stack, 1);
    stack.pop().unwrap_or_default()
}

fn push_text(stack: &mut [Elem], text: String) {
    if let Some(top) = stack.last_mut() {
        match top.children.last_mut() {
            Some(Node::Text(prev)) => prev.push_str(&text),
            _ => top.children.push(Node::Text(text)),
        }
    }
}

/// Closes `stack[j..]`, never the root.
fn pop_to(stack: &mut Vec<Elem>, j: usize) {
    while stack.len() > j.max(1) {
        if let Some(elem) = stack.pop() {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(Node::Elem(elem));
            }
        }
    }
}

/// Index of the nearest open element satisfying `want`, searching down from the top and giving
/// up at the first element satisfying `stop`.
fn find_scope(stack: &[Elem], want: impl Fn(&str) -> bool, stop: impl Fn(&str) -> bool) -> Option<usize> {
    for j in (1..stack.len()).rev() {
        let name = stack[j].name.as_str();
        if want(name) {
            return Some(j);
        }
        if stop(name) {
            return None;
        }
    }
    None
}

/// The HTML rules that matter for model docs: a block ends an open paragraph, and list items,
/// definition terms and table cells end their open siblings.
fn implicit_close(stack: &mut Vec<Elem>, name: &str) {
    let leaf = |n: &str| kind(n) == Some(Kind::Leaf);
    let container = |n: &str| kind(n) == Some(Kind::Container);
    if let Some(j) = find_scope(stack, leaf, container) {
        pop_to(stack, j);
    }
    let mut close = |want: &dyn Fn(&str) -> bool, stop: &dyn Fn(&str) -> bool| {
        if let Some(j) = find_scope(stack, want, stop) {
            pop_to(stack, j);
        }
    };
    let cell = |n: &str| matches!(n, "td" | "th");
    let row_group = |n: &str| matches!(n, "thead" | "tbody" | "tfoot");
    match name {
        "li" | "listitem" => close(&|n| matches!(n, "li" | "listitem"), &is_list),
        "dt" | "dd" => close(&|n| matches!(n, "dt" | "dd"), &|n| n == "dl"),
        "td" | "th" => close(&cell, &|n| matches!(n, "tr" | "table")),
        "tr" | "thead" | "tbody" | "tfoot" => {
            // A new row ends the open cell and row; a new row group also ends the open group.
            close(&cell, &|n| matches!(n, "tr" | "table"));
            close(&|n| n == "tr", &|n| n == "table");
            if name != "tr" {
                close(&row_group, &|n| n == "table");
            }
        }
        _ => {}
    }
}

/// Which open element an end tag closes; stray end tags close nothing.
fn find_open(stack: &[Elem], name: &str) -> Option<usize> {
    let same = |n: &str| n == name;
    match name {
        "li" | "listitem" => find_scope(stack, same, is_list),
        "dt" | "dd" => find_scope(stack, same, |n| n == "dl"),
        "td" | "th" => find_scope(stack, same, |n| matches!(n, "tr" | "table")),
        "tr" | "thead" | "tbody" | "tfoot" => find_scope(stack, same, |n| n == "table"),
        _ => match kind(name) {
            Some(Kind::Container) => find_scope(stack, same, |_| false),
            Some(Kind::Leaf) => find_scope(stack, same, |n| kind(n) == Some(Kind::Container)),
            _ => find_scope(stack, same, is_block),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Tree -> blocks

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Bold,
    Italic,
}

#[derive(Clone, Debug)]
enum Inline {
    Text(String),
    Code(String),
    Break,
    Styled(Style, Vec<Inline>),
    Link(String, Vec<Inline>),
}

#[derive(Debug)]
enum Block {
    Para(Vec<Inline>),
    Heading(usize, Vec<Inline>),
    Code(String),
    List { ordered: bool, items: Vec<Vec<Block>> },
    Quote(Vec<Block>),
    Table(Vec<Vec<Vec<Inline>>>),
    Rule,
}

#[derive(Default)]
struct Sink {
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

    fn finish(mut self) -> Vec<Block> {
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
    let lines = &lines[first..=last];
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

fn flow(nodes: &[Node], sink: &mut Sink) {
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

fn collect_fullname(e: &Elem, out: &mut String) {
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

// ---------------------------------------------------------------------------------------------
// Blocks -> Markdown lines

fn render_blocks(blocks: &[Block], out: &mut Vec<String>) {
    let mut first = true;
    for block in blocks {
        let lines = render_block(block);
        if lines.is_empty() {
            continue;
        }
        if !first {
            out.push(String::new());
        }
        first = false;
        out.extend(lines);
    }
}

fn render_block(block: &Block) -> Vec<String> {
    match block {
        Block::Para(inlines) => {
            let text = inline_markdown(inlines, Mode::Normal);
            if text.is_empty() {
                Vec::new()
            } else {
                text.split('\n').map(str::to_string).collect()
            }
        }
        Block::Heading(level, inlines) => {
            let text = inline_markdown(inlines, Mode::Heading);
            if text.is_empty() {
                Vec::new()
            } else {
                vec![format!("{} {text}", "#".repeat(*level))]
            }
        }
        Block::Code(code) => {
            // Always labelled: an unlabelled fence is a Rust doctest.
            let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
            let mut lines = vec![format!("{fence}text")];
            lines.extend(code.split('\n').map(str::to_string));
            lines.push(fence);
            lines
        }
        // `- ---` would be a rule rather than an item holding one, so use asterisks.
        Block::Rule => vec!["***".to_string()],
        Block::Quote(inner) => {
            let mut lines = Vec::new();
            render_blocks(inner, &mut lines);
            lines
                .into_iter()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect()
        }
        Block::List { ordered, items } => render_list(*ordered, items),
        Block::Table(rows) => render_table(rows),
    }
}

fn render_list(ordered: bool, items: &[Vec<Block>]) -> Vec<String> {
    // Tight only when no item needs a blank line inside it: a paragraph after a nested list
    // would otherwise continue that list's last item.
    let tight = items.iter().all(|item| {
        item.first()
            .is_some_and(|b| matches!(b, Block::Para(_) | Block::List { .. }))
            && item[1..].iter().all(|b| matches!(b, Block::List { .. }))
    });
    let mut out = Vec::new();
    let mut number = 0;
    for item in items {
        let mut body = Vec::new();
        if tight {
            for block in item {
                body.extend(render_block(block));
            }
        } else {
            render_blocks(item, &mut body);
        }
        if body.is_empty() {
            continue;
        }
        number += 1;
        let marker = if ordered {
            format!("{number}. ")
        } else {
            "- ".to_string()
        };
        if !tight && !out.is_empty() {
            out.push(String::new());
        }
        let pad = " ".repeat(marker.len());
        for (i, line) in body.into_iter().enumerate() {
            out.push(if i == 0 {
                format!("{marker}{line}")
            } else if line.is_empty() {
                line
            } else {
                format!("{pad}{line}")
            });
        }
    }
    out
}

fn render_table(rows: &[Vec<Vec<Inline>>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return Vec::new();
    }
    let row_line = |row: &Vec<Vec<Inline>>| {
        let mut line = String::from("|");
        for i in 0..columns {
            let cell = row.get(i).map(|c| inline_markdown(c, Mode::Table)).unwrap_or_default();
            line.push(' ');
            line.push_str(&cell);
            line.push_str(" |");
        }
        line
    };
    let mut out = Vec::new();
    let mut rows = rows.iter().filter(|row| !row.is_empty());
    if let Some(header) = rows.next() {
        out.push(row_line(header));
        out.push(format!("|{}", " --- |".repeat(columns)));
    }
    out.extend(rows.map(row_line));
    out
}

fn longest_run(s: &str, ch: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for c in s.chars() {
        if c == ch {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

// ---------------------------------------------------------------------------------------------
// Inline Markdown

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Normal,
    Heading,
    Table,
}

#[derive(Clone, PartialEq, Eq, Debug)]
enum Mark {
    Bold,
    Italic,
    Link(String),
}

#[derive(Clone, PartialEq, Eq, Debug)]
enum Tok {
    Word(String),
    Space,
    Break,
    Code(String),
    Autolink(String),
    Open(Mark),
    Close(Mark),
}

#[derive(Default)]
struct FlatState {
    bold: bool,
    italic: bool,
    link: bool,
    no_breaks: bool,
}

fn flatten(inlines: &[Inline], st: &mut FlatState, out: &mut Vec<Tok>) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => {
                let mut word = String::new();
                for c in t.chars() {
                    if c.is_whitespace() {
                        if !word.is_empty() {
                            push_tok(out, Tok::Word(std::mem::take(&mut word)));
                        }
                        push_tok(out, Tok::Space);
                    } else {
                        word.push(c);
                    }
                }
                if !word.is_empty() {
                    push_tok(out, Tok::Word(word));
                }
            }
            Inline::Code(c) => push_tok(out, Tok::Code(c.clone())),
            Inline::Break => push_tok(out, if st.no_breaks { Tok::Space } else { Tok::Break }),
            Inline::Styled(style, inner) => {
                let (flag, mark) = match style {
                    Style::Bold => (&mut st.bold, Mark::Bold),
                    Style::Italic => (&mut st.italic, Mark::Italic),
                };
                if *flag {
                    flatten(inner, st, out);
                    continue;
                }
                *flag = true;
                push_tok(out, Tok::Open(mark.clone()));
                flatten(inner, st, out);
                push_tok(out, Tok::Close(mark));
                match style {
                    Style::Bold => st.bold = false,
                    Style::Italic => st.italic = false,
                }
            }
            Inline::Link(url, inner) => {
                if st.link {
                    flatten(inner, st, out);
                    continue;
                }
                st.link = true;
                push_tok(out, Tok::Open(Mark::Link(url.clone())));
                flatten(inner, st, out);
                push_tok(out, Tok::Close(Mark::Link(url.clone())));
                st.link = false;
            }
        }
    }
}

/// Appends a token while keeping whitespace out of the edges of emphasis and links (CommonMark
/// ignores `** bold **`), collapsing whitespace, and dropping empty emphasis.
fn push_tok(out: &mut Vec<Tok>, tok: Tok) {
    match tok {
        Tok::Word(w) => match out.last_mut() {
            Some(Tok::Word(last)) => last.push_str(&w),
            _ => out.push(Tok::Word(w)),
        },
        Tok::Space | Tok::Break => {
            let mut k = out.len();
            while k > 0 && matches!(out[k - 1], Tok::Open(_)) {
                k -= 1;
            }
            if k == 0 {
                return;
            }
            match out[k - 1] {
                Tok::Break => {}
                Tok::Space => {
                    if tok == Tok::Break {
                        out[k - 1] = Tok::Break;
                    }
                }
                _ => out.insert(k, tok),
            }
        }
        Tok::Close(mark) => {
            let trailing = if matches!(out.last(), Some(Tok::Space | Tok::Break)) {
                out.pop()
            } else {
                None
            };
            let n = out.len();
            match (&mark, out.as_slice()) {
                (_, [.., Tok::Open(open)]) if *open == mark => {
                    out.pop();
                    if let Mark::Link(url) = mark {
                        push_tok(out, Tok::Autolink(url));
                    }
                }
                // A link whose text is its own URL reads better as `<url>`.
                (Mark::Link(url), [.., Tok::Open(Mark::Link(_)), Tok::Word(w)]) if w == url => {
                    out.truncate(n - 2);
                    push_tok(out, Tok::Autolink(url.clone()));
                }
                _ => out.push(Tok::Close(mark)),
            }
            if let Some(ws) = trailing {
                push_tok(out, ws);
            }
        }
        Tok::Open(mark) => {
            // `**a** **b**` merges into `**a b**` instead of producing `****` runs.
            if mark != Mark::Bold && mark != Mark::Italic {
                out.push(Tok::Open(mark));
                return;
            }
            match out.as_slice() {
                [.., Tok::Close(c)] if *c == mark => {
                    out.pop();
                }
                [.., Tok::Close(c), Tok::Space] if *c == mark => {
                    let n = out.len();
                    out.remove(n - 2);
                }
                _ => out.push(Tok::Open(mark)),
            }
        }
        // Adjacent spans would fuse their backtick fences into one run (`a```b`), so they
        // become one span.
        Tok::Code(code) => match out.last_mut() {
            Some(Tok::Code(last)) => last.push_str(&code),
            _ => out.push(Tok::Code(code)),
        },
        Tok::Autolink(_) => out.push(tok),
    }
}

enum Piece {
    Lit(String),
    Delim { style: Style, open: bool, pair: usize },
}

fn inline_markdown(inlines: &[Inline], mode: Mode) -> String {
    let mut st = FlatState {
        no_breaks: mode != Mode::Normal,
        ..FlatState::default()
    };
    let mut toks = Vec::new();
    flatten(inlines, &mut st, &mut toks);
    while matches!(toks.last(), Some(Tok::Space | Tok::Break)) {
        toks.pop();
    }

    let mut pieces = Vec::new();
    let mut open_pairs = Vec::new();
    let mut pair_count = 0;
    let mut line_start = mode == Mode::Normal;
    let mut in_link = false;
    for tok in toks {
        match tok {
            Tok::Word(w) => {
                let mut s = String::new();
                escape_word(&mut s, &w, line_start, mode, in_link);
                pieces.push(Piece::Lit(s));
                line_start = false;
            }
            Tok::Space => pieces.push(Piece::Lit(" ".to_string())),
            Tok::Break => {
                pieces.push(Piece::Lit("\\\n".to_string()));
                line_start = true;
            }
            Tok::Code(c) => {
                pieces.push(Piece::Lit(code_span(&c, mode)));
                line_start = false;
            }
            Tok::Autolink(url) => {
                let mut s = String::from("<");
                push_url(&mut s, &url, true);
                s.push('>');
                pieces.push(Piece::Lit(s));
                line_start = false;
            }
            Tok::Open(Mark::Link(_)) => {
                // `![` would make the link an image.
                if let Some(Piece::Lit(prev)) = pieces.last_mut() {
                    if prev.ends_with('!') {
                        prev.pop();
                        prev.push_str("\\!");
                    }
                }
                pieces.push(Piece::Lit("[".to_string()));
                in_link = true;
                line_start = false;
            }
            Tok::Close(Mark::Link(url)) => {
                let mut s = String::from("](");
                push_url(&mut s, &url, false);
                s.push(')');
                pieces.push(Piece::Lit(s));
                in_link = false;
            }
            Tok::Open(mark) => {
                let style = if mark == Mark::Bold { Style::Bold } else { Style::Italic };
                open_pairs.push(pair_count);
                pieces.push(Piece::Delim {
                    style,
                    open: true,
                    pair: pair_count,
                });
                pair_count += 1;
            }
            Tok::Close(mark) => {
                let style = if mark == Mark::Bold { Style::Bold } else { Style::Italic };
                let pair = open_pairs.pop().unwrap_or(0);
                pieces.push(Piece::Delim {
                    style,
                    open: false,
                    pair,
                });
            }
        }
    }

    let html = resolve_delimiters(&pieces, pair_count);
    let mut out = String::new();
    for piece in &pieces {
        match piece {
            Piece::Lit(s) => out.push_str(s),
            Piece::Delim { style, open, pair } => {
                let as_html = html.get(*pair).copied().unwrap_or(true);
                out.push_str(match (style, open, as_html) {
                    (Style::Bold, _, false) => "**",
                    (Style::Italic, _, false) => "*",
                    (Style::Bold, true, true) => "<strong>",
                    (Style::Bold, false, true) => "</strong>",
                    (Style::Italic, true, true) => "<em>",
                    (Style::Italic, false, true) => "</em>",
                });
            }
        }
    }
    out
}

fn is_punct(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// CommonMark's left-flanking test for a delimiter run between `before` and `after` (`None` is
/// the edge of the paragraph, which counts as whitespace). Right-flanking is the mirror image,
/// so it is `left_flanking(after, before)`.
fn left_flanking(before: Option<char>, after: Option<char>) -> bool {
    let Some(after) = after else { return false };
    let before_is_space_or_punct = match before {
        None => true,
        Some(c) => c.is_whitespace() || is_punct(c),
    };
    !after.is_whitespace() && (!is_punct(after) || before_is_space_or_punct)
}

/// Decides which emphasis pairs cannot safely be written with `*` because of CommonMark's flanking
/// rules (as in `x**(y)**z`, where the asterisks stay literal); those pairs use `<strong>`/`<em>`.
fn resolve_delimiters(pieces: &[Piece], pair_count: usize) -> Vec<bool> {
    let mut html = vec![false; pair_count];
    let mut positions = vec![(0, 0); pair_count];
    for (i, piece) in pieces.iter().enumerate() {
        if let Piece::Delim { open, pair, .. } = piece {
            if let Some(p) = positions.get_mut(*pair) {
                if *open {
                    p.0 = i;
                } else {
                    p.1 = i;
                }
            }
        }
    }
    let neighbour = |html: &[bool], i: usize, forward: bool| -> Option<char> {
        let mut j = i;
        loop {
            if forward {
                j += 1;
                if j >= pieces.len() {
                    return None;
                }
            } else {
                if j == 0 {
                    return None;
                }
                j -= 1;
            }
            match &pieces[j] {
                Piece::Lit(s) => {
                    let c = if forward {
                        s.chars().next()
                    } else {
                        s.chars().next_back()
                    };
                    if c.is_some() {
                        return c;
                    }
                }
                Piece::Delim { pair, .. } => {
                    if html.get(*pair).copied().unwrap_or(false) {
                        return Some(if forward { '<' } else { '>' });
                    }
                }
            }
        }
    };
    loop {
        let mut changed = false;
        for pair in 0..pair_count {
            if html[pair] {
                continue;
            }
            let (open, close) = positions[pair];
            let (before_open, after_open) = (neighbour(&html, open, false), neighbour(&html, open, true));
            let (before_close, after_close) = (neighbour(&html, close, false), neighbour(&html, close, true));
            // A run that could both open and close (as in `a**b**c`) pairs up by the subtle
            // "multiple of 3" rule and can steal its neighbours' delimiters.
            let can_open = left_flanking(before_open, after_open) && !left_flanking(after_open, before_open);
            let can_close = left_flanking(after_close, before_close) && !left_flanking(before_close, after_close);
            // A closer directly followed by another pair's opener would fuse into one
            // delimiter run (`**a***b*`) that parses unpredictably.
            let fused = open > 0
                && matches!(&pieces[open - 1], Piece::Delim { open: false, pair: other, .. }
                    if !html.get(*other).copied().unwrap_or(true));
            if !can_open || !can_close || fused {
                html[pair] = true;
                changed = true;
            }
        }
        if !changed {
            return html;
        }
    }
}

fn code_span(content: &str, mode: Mode) -> String {
    // Tables split cells on `|` even inside code spans unless it is escaped.
    let content = if mode == Mode::Table {
        content.replace('|', "\\|")
    } else {
        content.to_string()
    };
    let fence = "`".repeat(longest_run(&content, '`') + 1);
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// Writes a URL as an autolink body (`autolink`) or a link destination, percent-encoding what
/// would end either early. `|` is encoded too because a table row splits on it even there.
fn push_url(out: &mut String, url: &str, autolink: bool) {
    for c in url.chars() {
        let encode = c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '|' | '`')
            || (!autolink && matches!(c, '(' | ')' | '\\'));
        if encode {
            for b in c.encode_utf8(&mut [0; 4]).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
}

/// Finds the first `http(s)://` URL in `s` at or after byte `from`, as a byte range without
/// trailing punctuation. `lower` is `s` in ASCII lowercase (same byte offsets).
fn find_url(s: &str, lower: &str, mut from: usize) -> Option<(usize, usize)> {
    while let Some(rel) = lower.get(from..).and_then(|rest| rest.find("http")) {
        let start = from + rel;
        let scheme = if lower[start..].starts_with("https://") {
            8
        } else if lower[start..].starts_with("http://") {
            7
        } else {
            from = start + 4;
            continue;
        };
        let body_start = start + scheme;
        let mut end = body_start;
        let (mut parens, mut brackets) = (0i64, 0i64);
        for (i, c) in s[body_start..].char_indices() {
            if c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`' | '|' | '\\') {
                break;
            }
            match c {
                '(' => parens += 1,
                ')' => parens -= 1,
                '[' => brackets += 1,
                ']' => brackets -= 1,
                _ => {}
            }
            end = body_start + i + c.len_utf8();
        }
        // Sentence punctuation and an unmatched closing bracket belong to the prose around it.
        while let Some(last) = s[body_start..end].chars().next_back() {
            let trim = match last {
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' | '~' => true,
                ')' if parens < 0 => {
                    parens += 1;
                    true
                }
                ']' if brackets < 0 => {
                    brackets += 1;
                    true
                }
                _ => false,
            };
            if !trim {
                break;
            }
            end -= last.len_utf8();
        }
        if end > body_start {
            return Some((start, end));
        }
        from = body_start;
    }
    None
}

fn escape_word(out: &mut String, word: &str, line_start: bool, mode: Mode, in_link: bool) {
    let mut done = 0;
    if !in_link {
        // `rustdoc::bare_urls` fires on any URL left in text; an autolink keeps it clickable.
        let lower = word.to_ascii_lowercase();
        while let Some((start, end)) = find_url(word, &lower, done) {
            escape_plain(out, &word[done..start], line_start && done == 0, mode);
            out.push('<');
            push_url(out, &word[start..end], true);
            out.push('>');
            done = end;
        }
    }
    escape_plain(out, &word[done..], line_start && done == 0, mode);
}

fn entity_like(rest: &[char]) -> bool {
    let n = rest
        .iter()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    n > 0 && rest.get(n) == Some(&';')
}

fn escape_plain(out: &mut String, s: &str, line_start: bool, mode: Mode) {
    let chars: Vec<char> = s.chars().collect();
    let mut skip = 0;
    if line_start {
        // Block syntax (headings, list markers, setext underlines, ...) only starts a line.
        match chars.first() {
            Some('#' | '-' | '+' | '=' | ':') => out.push('\\'),
            Some(c) if c.is_ascii_digit() => {
                let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
                if digits <= 9 && matches!(chars.get(digits), Some('.' | ')')) {
                    out.extend(&chars[..digits]);
                    out.push('\\');
                    skip = digits;
                }
            }
            _ => {}
        }
    }
    for (i, &c) in chars.iter().enumerate().skip(skip) {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => out.push('\\'),
            // Intraword underscores cannot open emphasis; escaping them would only add noise.
            '_' => {
                let inner =
                    i > 0 && chars[i - 1].is_alphanumeric() && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if !inner {
                    out.push('\\');
                }
            }
            '&' if entity_like(&chars[i + 1..]) => out.push('\\'),
            '#' | '{' | '}' if mode == Mode::Heading => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        html_to_markdown(html)
    }

    #[test]
    fn paragraphs() {
        assert_eq!(md("<p>One.</p> <p>Two.</p>"), "One.\n\nTwo.");
        assert_eq!(md("<p>One.<p>Two."), "One.\n\nTwo.");
        assert_eq!(md("One.<p/>Two."), "One.\n\nTwo.");
        assert_eq!(md("<p>  lots \n of\t space </p>"), "lots of space");
        assert_eq!(md("</p>stray</p>"), "stray");
        assert_eq!(md(""), "");
        assert_eq!(md("<p></p><p> </p>"), "");
    }

    #[test]
    fn line_breaks() {
        assert_eq!(md("<p>a<br/>b<br>c</p>"), "a\\\nb\\\nc");
        assert_eq!(md("<p><br/>a<br/><br/></p>"), "a");
        assert_eq!(md("<p>a<br/>- b</p>"), "a\\\n\\- b");
        assert_eq!(md("<p>a<br/>        b</p>"), "a\\\nb");
        assert_eq!(md("<h3>a<br/>b</h3>"), "### a b");
    }

    #[test]
    fn emphasis() {
        assert_eq!(
            md("<p>a <b>bold</b> and <strong>strong</strong></p>"),
            "a **bold** and **strong**"
        );
        assert_eq!(md("<p>a <i>it</i>, <em>em</em></p>"), "a *it*, *em*");
        assert_eq!(md("<p>a<b> spaced </b>b</p>"), "a **spaced** b");
        assert_eq!(md("<p>x<b></b>y<i> </i>z</p>"), "xy z");
        assert_eq!(md("<p><b><b>twice</b></b></p>"), "**twice**");
        assert_eq!(md("<p><b>a</b><b>b</b></p>"), "**ab**");
        // Asterisks would stay literal here, so HTML is used instead.
        assert_eq!(md("<p>x<b>(y)</b>z</p>"), "x<strong>(y)</strong>z");
        assert_eq!(md("<p>x<b>y</b>z</p>"), "x<strong>y</strong>z");
        assert_eq!(md("<p>(<i>y</i>)</p>"), "(*y*)");
    }

    #[test]
    fn code_spans() {
        assert_eq!(md("<p>Use <code>ListTasks</code>.</p>"), "Use `ListTasks`.");
        assert_eq!(md("<p><code>a`b</code></p>"), "``a`b``");
        assert_eq!(md("<p><code>`x</code></p>"), "`` `x ``");
        assert_eq!(md("<p><code> arn:<i>region</i> </code></p>"), "`arn:region`");
        assert_eq!(md("<p><code>[x] <y> *z*</code></p>"), "`[x] <y> *z*`");
        assert_eq!(md("<p>a <code> </code> b</p>"), "a b");
        assert_eq!(md("<p><code>a</code><code>`b</code></p>"), "``a`b``");
    }

    #[test]
    fn links() {
        assert_eq!(
            md(r#"<p>See <a href="https://example.com/a_b">the guide</a>.</p>"#),
            "See [the guide](https://example.com/a_b)."
        );
        assert_eq!(md(r#"<p><a href="guide/x.html">Rel</a> x</p>"#), "Rel x");
        assert_eq!(md(r#"<p><a href="mailto:a@b.c">a@b.c</a></p>"#), "a@b.c");
        assert_eq!(md(r#"<p><a>no href</a></p>"#), "no href");
        assert_eq!(
            md(r#"<p><a href="https://x.com/a(b)<c> d">t</a></p>"#),
            "[t](https://x.com/a%28b%29%3Cc%3E%20d)"
        );
        assert_eq!(md(r#"<p><a href="https://x.com"></a></p>"#), "<https://x.com>");
        assert_eq!(
            md(r#"<p><a href="https://x.com">https://x.com</a></p>"#),
            "<https://x.com>"
        );
        assert_eq!(
            md(
                r#"<p><a href="https://x.com"><code>Op</code></a> and <code><a href="https://y.com">Op2</a></code></p>"#
            ),
            "[`Op`](https://x.com) and [`Op2`](https://y.com)"
        );
        assert_eq!(
            md(r#"<p><a href="https://x.com">[1] <a href="https://y.com">in</a></a></p>"#),
            "[\\[1\\] in](https://x.com)"
        );
        assert_eq!(md(r#"<ulink url="http://x.com/">old</ulink>"#), "[old](http://x.com/)");
    }

    #[test]
    fn bare_urls() {
        assert_eq!(
            md("<p>Go to https://example.com/x_y.</p>"),
            "Go to <https://example.com/x_y>."
        );
        assert_eq!(md("<p>(http://a.com/b)</p>"), "(<http://a.com/b>)");
        assert_eq!(md("<p>https:// alone</p>"), "https:// alone");
        assert_eq!(
            md("<p>https://&lt;bucket&gt;.s3.amazonaws.com</p>"),
            "https://\\<bucket\\>.s3.amazonaws.com"
        );
    }

    #[test]
    fn lists() {
        assert_eq!(md("<ul><li>a</li><li><p>b</p></li></ul>"), "- a\n- b");
        assert_eq!(md("<ol><li>a</li><li>b</li></ol>"), "1. a\n2. b");
        assert_eq!(
            md("<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>"),
            "- a\n  - b\n    1. c\n- d"
        );
        assert_eq!(md("<ul><li><p>a</p><p>b</p></li><li>c</li></ul>"), "- a\n\n  b\n\n- c");
        // Unclosed items, an empty item and a nested list placed directly in the outer list.
        assert_eq!(md("<ul><li>a<li></li><ul><li>b</ul><li>c</ul>"), "- a\n  - b\n- c");
        assert_eq!(
            md("<p>Intro</p><ul><li>x</li></ul><p>After</p>"),
            "Intro\n\n- x\n\nAfter"
        );
        assert_eq!(md("<ul><li>2014. A year</li></ul>"), "- 2014\\. A year");
    }

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

    #[test]
    fn code_blocks() {
        assert_eq!(
            md("<pre><code>  fn main() {\n      x\n  }\n</code></pre>"),
            "```text\nfn main() {\n    x\n}\n```"
        );
        assert_eq!(
            md("<p>Run:<code>a\nb</code>done</p>"),
            "Run:\n\n```text\na\nb\n```\n\ndone"
        );
        assert_eq!(md("<programlisting>```\nx</programlisting>"), "````text\n```\nx\n````");
        assert_eq!(
            md("<ul><li>Run<pre>a\n\n\nb</pre></li></ul>"),
            "- Run\n\n  ```text\n  a\n\n  b\n  ```"
        );
        assert_eq!(md("<pre> \n </pre>"), "");
    }

    #[test]
    fn tables() {
        assert_eq!(
            md("<table><tr><th>A</th><th>B|C</th></tr><tr><td><code>x|y</code></td></tr></table>"),
            "| A | B\\|C |\n| --- | --- |\n| `x\\|y` |  |"
        );
        assert_eq!(
            md("<table><caption>Cap</caption><td>a<td>b<tr><td>c</table>"),
            "Cap\n\n| a | b |\n| --- | --- |\n| c |  |"
        );
    }

    #[test]
    fn unknown_tags_and_placeholders() {
        assert_eq!(md("<p>Example: <copy>db1</copy></p>"), "Example: db1");
        assert_eq!(
            md("<p>arn:aws:x:<region>:<account-id>:thing/<uuid></p>"),
            "arn:aws:x:\\<region\\>:\\<account-id\\>:thing/\\<uuid\\>"
        );
        assert_eq!(md("<zonbook></zonbook><xhtml></xhtml>"), "");
        assert_eq!(md("<p>Adds <Tag a=\"1\"/></p>"), "Adds \\<Tag a=\"1\"/\\>");
        assert_eq!(md("<p>a <!-- hidden --> b <![CDATA[<c>]]></p>"), "a b \\<c\\>");
    }

    #[test]
    fn entities() {
        assert_eq!(
            md("<p>&lt;a&gt; &amp; &quot;q&quot; &#39;s&#39; &apos;</p>"),
            "\\<a\\> & \"q\" 's' '"
        );
        assert_eq!(md("<p>a&#x2028;b&nbsp;c &#150; &#8212; &#x1F600;</p>"), "a b c – — 😀");
        assert_eq!(
            md("<p>&bogus; &#xZZ; &#99999999999; &amp;lt;</p>"),
            "\\&bogus; \\&#xZZ; \u{FFFD} \\&lt;"
        );
        assert_eq!(md("<p>a&#0;b&#x202E;c\u{7}d</p>"), "a\u{FFFD}bcd");
    }

    #[test]
    fn markdown_escaping() {
        assert_eq!(md("<p>[foo] and [bar][baz]</p>"), "\\[foo\\] and \\[bar\\]\\[baz\\]");
        assert_eq!(md("<p>Use <default> here</p>"), "Use \\<default\\> here");
        assert_eq!(
            md("<p>a*b* _c_ snake_case __x`y|z~</p>"),
            "a\\*b\\* \\_c\\_ snake_case \\_\\_x\\`y\\|z\\~"
        );
        assert_eq!(md("<p># Not a heading</p>"), "\\# Not a heading");
        assert_eq!(
            md("<p>- not a list</p><p>+ nor</p><p>1. this</p><p>2) or</p>"),
            "\\- not a list\n\n\\+ nor\n\n1\\. this\n\n2\\) or"
        );
        assert_eq!(md("<p>&gt; quote</p><p>=== x</p>"), "\\> quote\n\n\\=== x");
        assert_eq!(md("<p>C:\\dir\\</p>"), "C:\\\\dir\\\\");
        assert_eq!(md("<p>        indented</p>"), "indented");
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
