//! Inline content -> one line (or `\`-broken lines) of CommonMark: emphasis that parses as
//! intended (HTML tags where CommonMark's flanking rules would leave `*` literal), code spans,
//! links and autolinks for bare URLs, and escapes so that model text never becomes markup.

use super::blocks::{Inline, Style};
use super::markdown::longest_run;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
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
            // Whitespace goes before trailing openers, so it stays outside the emphasis or link they start.
            let k = out.len() - out.iter().rev().take_while(|t| matches!(t, Tok::Open(_))).count();
            match k.checked_sub(1).and_then(|before| out.get_mut(before)) {
                None | Some(Tok::Break) => {}
                Some(prev @ Tok::Space) => {
                    if tok == Tok::Break {
                        *prev = Tok::Break;
                    }
                }
                Some(_) => out.insert(k, tok),
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

pub(super) fn inline_markdown(inlines: &[Inline], mode: Mode) -> String {
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
            j = if forward { j + 1 } else { j.checked_sub(1)? };
            match pieces.get(j)? {
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
        for (pair, &(open, close)) in positions.iter().enumerate() {
            if html.get(pair).copied().unwrap_or(true) {
                continue;
            }
            let (before_open, after_open) = (neighbour(&html, open, false), neighbour(&html, open, true));
            let (before_close, after_close) = (neighbour(&html, close, false), neighbour(&html, close, true));
            // A run that could both open and close (as in `a**b**c`) pairs up by the subtle
            // "multiple of 3" rule and can steal its neighbours' delimiters.
            let can_open = left_flanking(before_open, after_open) && !left_flanking(after_open, before_open);
            let can_close = left_flanking(after_close, before_close) && !left_flanking(before_close, after_close);
            // A closer directly followed by another pair's opener would fuse into one
            // delimiter run (`**a***b*`) that parses unpredictably.
            let fused = open
                .checked_sub(1)
                .and_then(|before| pieces.get(before))
                .is_some_and(|piece| {
                    matches!(piece, Piece::Delim { open: false, pair: other, .. }
                        if !html.get(*other).copied().unwrap_or(true))
                });
            if !can_open || !can_close || fused {
                if let Some(flag) = html.get_mut(pair) {
                    *flag = true;
                }
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
                    out.extend(chars.iter().take(digits));
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
                let inner = i
                    .checked_sub(1)
                    .and_then(|before| chars.get(before))
                    .is_some_and(|p| p.is_alphanumeric())
                    && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if !inner {
                    out.push('\\');
                }
            }
            '&' if chars.get(i + 1..).is_some_and(entity_like) => out.push('\\'),
            '#' | '{' | '}' if mode == Mode::Heading => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use crate::docs::html_to_markdown as md;

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
}
