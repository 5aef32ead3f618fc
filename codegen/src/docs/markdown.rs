//! Blocks -> Markdown lines: paragraphs, headings, labelled code fences (an unlabelled one would be
//! a doctest), block quotes, tight or loose lists and pipe tables.

use super::blocks::{Block, Inline};
use super::inline::{inline_markdown, Mode};

pub(super) fn render_blocks(blocks: &[Block], out: &mut Vec<String>) {
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
            && item.iter().skip(1).all(|b| matches!(b, Block::List { .. }))
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

pub(super) fn longest_run(s: &str, ch: char) -> usize {
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

#[cfg(test)]
mod tests {
    use crate::docs::html_to_markdown as md;

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
}
