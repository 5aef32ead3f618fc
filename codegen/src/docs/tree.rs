//! Tokens -> an element tree, with the HTML rules that matter for model docs: blocks end an open
//! paragraph, list items, definition terms and table cells end their open siblings, stray end tags
//! close nothing, and an unknown tag that is never closed stays visible text.

use super::tokenizer::{decode_entities, Token};
use std::collections::HashMap;

#[derive(Debug, Default)]
pub(super) struct Elem {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<Node>,
}

#[derive(Debug)]
pub(super) enum Node {
    Text(String),
    Elem(Elem),
}

impl Elem {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Void,
    Inline,
    /// Holds only inline content; a new block start ends it, as `<p>` does in HTML.
    Leaf,
    Container,
}

pub(super) fn kind(name: &str) -> Option<Kind> {
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

pub(super) fn is_block(name: &str) -> bool {
    matches!(kind(name), Some(Kind::Leaf | Kind::Container))
}

pub(super) fn is_list(name: &str) -> bool {
    matches!(name, "ul" | "ol" | "itemizedlist" | "orderedlist")
}

/// Deeper nesting is ignored (its text is kept) so that recursion stays shallow on hostile input.
const MAX_DEPTH: usize = 64;

pub(super) fn build_tree(tokens: Vec<Token>) -> Elem {
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
    for (j, elem) in stack.iter().enumerate().skip(1).rev() {
        let name = elem.name.as_str();
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

#[cfg(test)]
mod tests {
    use crate::docs::html_to_markdown as md;

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
}
