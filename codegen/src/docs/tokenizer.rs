//! HTML text -> tokens: start tags with their attributes, end tags and text with entities decoded.
//! Comments, CDATA and `<!...>`/`<?...>` declarations are consumed here; anything that does not
//! parse as markup is text, so a stray `<` never loses what follows it.

#[derive(Debug)]
pub(super) enum Token {
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

pub(super) fn tokenize(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut unterminated = Unterminated::default();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'<' {
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
            (b.get(close) == Some(&b'>')).then_some((None, start + close + 1))
        }
        Some(b'/') => {
            if !b.get(2)?.is_ascii_alphabetic() {
                return None;
            }
            let name_len = tag_name_len(&rest[2..]);
            let name = rest[2..2 + name_len].to_ascii_lowercase();
            let after = 2 + name_len;
            let close = rest[after..].find(['>', '<'])? + after;
            (b.get(close) == Some(&b'>')).then_some((Some(Token::End { name }), start + close + 1))
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

pub(super) fn decode_entities(s: &str) -> String {
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
        0x80..=0x9F => CP1252.get((code - 0x80) as usize).copied().unwrap_or(0xFFFD),
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

#[cfg(test)]
mod tests {
    use crate::docs::html_to_markdown as md;

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
}
