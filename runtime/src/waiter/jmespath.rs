//! A small JMESPath interpreter over `serde_json::Value`, for waiters' acceptor paths.
//!
//! It implements the JMESPath grammar (<https://jmespath.org/specification.html>) except expression references
//! (`&expr`) and the functions that take them (`sort_by`, `max_by`, `map`, ...): identifiers and quoted
//! identifiers, sub-expressions, indexes and slices, list (`[*]`) and object (`*`) projections, flatten (`[]`),
//! filters (`[?a == 'b']`), multi-select lists and hashes, pipes, `||`, `&&`, `!`, comparisons, the current node
//! (`@`), raw strings, JSON literals and the functions in [`FUNCTIONS`]. The waiters of every AWS model use a
//! small part of it (fields, `[]`, filters, `length`, `==`, `&&`, `!`); the generator checks each of their
//! expressions with [`Expression::parse`] when it writes a crate.
//!
//! Evaluation never fails: where JMESPath would raise an invalid-type error (`length(`1`)`), the result is
//! `null`, which no waiter comparator matches.

use serde_json::{Map, Number, Value};
use std::cmp::Ordering;
use std::fmt;

/// The functions [`Expression::parse`] accepts, with their arity.
pub const FUNCTIONS: &[(&str, usize)] = &[
    ("abs", 1),
    ("avg", 1),
    ("ceil", 1),
    ("contains", 2),
    ("ends_with", 2),
    ("floor", 1),
    ("join", 2),
    ("keys", 1),
    ("length", 1),
    ("max", 1),
    ("min", 1),
    ("not_null", usize::MAX),
    ("reverse", 1),
    ("starts_with", 2),
    ("sum", 1),
    ("to_array", 1),
    ("to_number", 1),
    ("to_string", 1),
    ("type", 1),
    ("values", 1),
];

/// The most tokens an expression may have; AWS's waiters have at most 25.
pub const MAX_TOKENS: usize = 256;

/// A parsed JMESPath expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    text: String,
    node: Node,
}

/// Why an expression does not parse: what was expected, at which byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    offset: usize,
    message: String,
}

impl ParseError {
    /// Byte offset in the expression where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at offset {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for ParseError {}

impl Expression {
    /// Parses `text`; an expression this interpreter cannot evaluate is an error.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let tokens = lex(text)?;
        // The parser, the evaluator and dropping a tree all recurse as deep as the expression nests, and a
        // model's `((((...` or `!!!!...` would overflow the stack: bounding the length bounds the depth.
        if let Some((offset, _)) = tokens.get(MAX_TOKENS) {
            return Err(ParseError {
                offset: *offset,
                message: format!("longer than {MAX_TOKENS} tokens (waiters' paths are a few dozen)"),
            });
        }
        let mut parser = Parser { tokens, pos: 0 };
        let node = parser.expression(0)?;
        match parser.peek() {
            Token::Eof => Ok(Self {
                text: text.to_owned(),
                node,
            }),
            other => Err(parser.error(format!("unexpected {}", other.describe()))),
        }
    }

    /// Evaluates the expression against `data`.
    pub fn search(&self, data: &Value) -> Value {
        eval(&self.node, data)
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Identifier(String),
    QuotedIdentifier(String),
    Literal(Value),
    Number(i64),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    At,
    Ampersand,
    And,
    Or,
    Pipe,
    Not,
    Cmp(Comparison),
    Eof,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Identifier(name) | Token::QuotedIdentifier(name) => format!("identifier `{name}`"),
            Token::Literal(value) => format!("literal {value}"),
            Token::Number(n) => format!("number {n}"),
            Token::Eof => "end of expression".to_owned(),
            other => format!("`{}`", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Token::Dot => ".",
            Token::Star => "*",
            Token::Flatten => "[]",
            Token::Filter => "[?",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::Comma => ",",
            Token::Colon => ":",
            Token::At => "@",
            Token::Ampersand => "&",
            Token::And => "&&",
            Token::Or => "||",
            Token::Pipe => "|",
            Token::Not => "!",
            Token::Cmp(c) => c.symbol(),
            _ => "",
        }
    }

    /// Left binding power, as in the JMESPath reference implementation.
    fn binding_power(&self) -> u8 {
        match self {
            Token::Pipe => 1,
            Token::Or => 2,
            Token::And => 3,
            Token::Cmp(_) => 5,
            Token::Flatten => 9,
            Token::Star => 20,
            Token::Filter => 21,
            Token::Dot => 40,
            Token::Not => 45,
            Token::LBrace => 50,
            Token::LBracket => 55,
            Token::LParen => 60,
            _ => 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparison {
    fn symbol(self) -> &'static str {
        match self {
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
        }
    }
}

fn lex(text: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let error = |offset: usize, message: String| ParseError { offset, message };
    while let Some(&c) = bytes.get(i) {
        let start = i;
        let next = bytes.get(i + 1).copied();
        let token = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                    i += 1;
                }
                Token::Identifier(text.get(start..i).unwrap_or_default().to_owned())
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let digits = text.get(start..i).unwrap_or_default();
                let n = digits
                    .parse()
                    .map_err(|_| error(start, format!("`{digits}` is not a number")))?;
                Token::Number(n)
            }
            b'"' => {
                let end = closing(bytes, i, b'"').ok_or_else(|| error(start, "unclosed `\"`".to_owned()))?;
                let quoted = text.get(start..=end).unwrap_or_default();
                i = end + 1;
                let name = serde_json::from_str(quoted)
                    .map_err(|e| error(start, format!("bad quoted identifier {quoted}: {e}")))?;
                Token::QuotedIdentifier(name)
            }
            b'\'' => {
                let end = closing(bytes, i, b'\'').ok_or_else(|| error(start, "unclosed `'`".to_owned()))?;
                let raw = text.get(start + 1..end).unwrap_or_default().replace("\\'", "'");
                i = end + 1;
                Token::Literal(Value::String(raw))
            }
            b'`' => {
                let end = closing(bytes, i, b'`').ok_or_else(|| error(start, "unclosed '`'".to_owned()))?;
                let json = text.get(start + 1..end).unwrap_or_default().replace("\\`", "`");
                i = end + 1;
                let value = serde_json::from_str(json.trim())
                    .map_err(|e| error(start, format!("bad JSON literal `{json}`: {e}")))?;
                Token::Literal(value)
            }
            b'[' => match next {
                Some(b']') => {
                    i += 2;
                    Token::Flatten
                }
                Some(b'?') => {
                    i += 2;
                    Token::Filter
                }
                _ => {
                    i += 1;
                    Token::LBracket
                }
            },
            b'&' if next == Some(b'&') => {
                i += 2;
                Token::And
            }
            b'|' if next == Some(b'|') => {
                i += 2;
                Token::Or
            }
            b'=' if next == Some(b'=') => {
                i += 2;
                Token::Cmp(Comparison::Eq)
            }
            b'!' if next == Some(b'=') => {
                i += 2;
                Token::Cmp(Comparison::Ne)
            }
            b'<' | b'>' => {
                let or_equal = next == Some(b'=');
                i += if or_equal { 2 } else { 1 };
                Token::Cmp(match (c, or_equal) {
                    (b'<', false) => Comparison::Lt,
                    (b'<', true) => Comparison::Le,
                    (_, false) => Comparison::Gt,
                    (_, true) => Comparison::Ge,
                })
            }
            _ => {
                i += 1;
                match c {
                    b'.' => Token::Dot,
                    b'*' => Token::Star,
                    b']' => Token::RBracket,
                    b'{' => Token::LBrace,
                    b'}' => Token::RBrace,
                    b'(' => Token::LParen,
                    b')' => Token::RParen,
                    b',' => Token::Comma,
                    b':' => Token::Colon,
                    b'@' => Token::At,
                    b'&' => Token::Ampersand,
                    b'|' => Token::Pipe,
                    b'!' => Token::Not,
                    _ => {
                        let ch = text.get(start..).and_then(|s| s.chars().next()).unwrap_or('?');
                        return Err(error(start, format!("unexpected character `{ch}`")));
                    }
                }
            }
        };
        tokens.push((start, token));
    }
    tokens.push((text.len(), Token::Eof));
    Ok(tokens)
}

/// The index of the `quote` that closes the one at `open`, skipping backslash escapes.
fn closing(bytes: &[u8], open: usize, quote: u8) -> Option<usize> {
    let mut i = open + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            _ if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------------------
// Parser: a Pratt parser, shaped like the reference implementation's.

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Current,
    Field(String),
    Literal(Value),
    Subexpression(Box<Node>, Box<Node>),
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `lhs` evaluated, then `rhs` on what it gives (`a[0]`, `a[1:2]`).
    IndexExpression(Box<Node>, Box<Node>),
    /// List projection: `rhs` over each element of the list `lhs` gives; `null`s are dropped.
    Projection(Box<Node>, Box<Node>),
    /// Object projection: `rhs` over each value of the object `lhs` gives.
    ValueProjection(Box<Node>, Box<Node>),
    Flatten(Box<Node>),
    Filter {
        lhs: Box<Node>,
        condition: Box<Node>,
        rhs: Box<Node>,
    },
    MultiList(Vec<Node>),
    MultiHash(Vec<(String, Node)>),
    Pipe(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Compare(Comparison, Box<Node>, Box<Node>),
    Function(String, Vec<Node>),
}

/// Below this binding power a token ends a projection's right-hand side.
const PROJECTION_STOP: u8 = 10;

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        self.tokens.get(self.pos + ahead).map(|(_, t)| t).unwrap_or(&Token::Eof)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or_else(|| self.tokens.last())
            .map(|(o, _)| *o)
            .unwrap_or_default()
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        token
    }

    fn error(&self, message: String) -> ParseError {
        ParseError {
            offset: self.offset(),
            message,
        }
    }

    /// An error about the token just consumed.
    fn error_before(&self, message: String) -> ParseError {
        ParseError {
            offset: self
                .pos
                .checked_sub(1)
                .and_then(|i| self.tokens.get(i))
                .map(|(o, _)| *o)
                .unwrap_or_default(),
            message,
        }
    }

    fn expect(&mut self, token: &Token) -> Result<(), ParseError> {
        if self.peek() == token {
            self.advance();
            Ok(())
        } else {
            Err(self.error(format!(
                "expected `{}`, found {}",
                token.symbol(),
                self.peek().describe()
            )))
        }
    }

    fn expression(&mut self, binding_power: u8) -> Result<Node, ParseError> {
        let token = self.advance();
        let mut left = self.nud(token)?;
        while binding_power < self.peek().binding_power() {
            let token = self.advance();
            left = self.led(token, left)?;
        }
        Ok(left)
    }

    fn nud(&mut self, token: Token) -> Result<Node, ParseError> {
        Ok(match token {
            Token::Literal(value) => Node::Literal(value),
            Token::Identifier(name) => Node::Field(name),
            Token::QuotedIdentifier(name) => {
                if self.peek() == &Token::LParen {
                    return Err(self.error("a quoted identifier cannot name a function".to_owned()));
                }
                Node::Field(name)
            }
            Token::At => Node::Current,
            Token::Star => {
                let rhs = self.projection_rhs(Token::Star.binding_power())?;
                Node::ValueProjection(Box::new(Node::Current), Box::new(rhs))
            }
            Token::Filter => self.filter(Node::Current)?,
            Token::Flatten => {
                let rhs = self.projection_rhs(Token::Flatten.binding_power())?;
                Node::Projection(Box::new(Node::Flatten(Box::new(Node::Current))), Box::new(rhs))
            }
            Token::LBrace => self.multi_hash()?,
            Token::LParen => {
                let inner = self.expression(0)?;
                self.expect(&Token::RParen)?;
                inner
            }
            Token::Not => Node::Not(Box::new(self.expression(Token::Not.binding_power())?)),
            Token::LBracket => match self.peek() {
                Token::Number(_) | Token::Colon => {
                    let index = self.index_or_slice()?;
                    self.project_if_slice(Node::Current, index)?
                }
                Token::Star if self.peek_at(1) == &Token::RBracket => {
                    self.advance();
                    self.advance();
                    let rhs = self.projection_rhs(Token::Star.binding_power())?;
                    Node::Projection(Box::new(Node::Current), Box::new(rhs))
                }
                _ => self.multi_list()?,
            },
            Token::Ampersand => {
                return Err(self.error_before("expression references (`&expr`) are not supported".to_owned()))
            }
            other => return Err(self.error_before(format!("unexpected {}", other.describe()))),
        })
    }

    fn led(&mut self, token: Token, left: Node) -> Result<Node, ParseError> {
        Ok(match token {
            Token::Dot => {
                if self.peek() == &Token::Star {
                    self.advance();
                    let rhs = self.projection_rhs(Token::Dot.binding_power())?;
                    Node::ValueProjection(Box::new(left), Box::new(rhs))
                } else {
                    let rhs = self.dot_rhs(Token::Dot.binding_power())?;
                    Node::Subexpression(Box::new(left), Box::new(rhs))
                }
            }
            Token::Pipe => Node::Pipe(Box::new(left), Box::new(self.expression(Token::Pipe.binding_power())?)),
            Token::Or => Node::Or(Box::new(left), Box::new(self.expression(Token::Or.binding_power())?)),
            Token::And => Node::And(Box::new(left), Box::new(self.expression(Token::And.binding_power())?)),
            Token::Cmp(c) => Node::Compare(
                c,
                Box::new(left),
                Box::new(self.expression(Token::Cmp(c).binding_power())?),
            ),
            Token::LParen => {
                let Node::Field(name) = left else {
                    return Err(self.error("only a name can be called as a function".to_owned()));
                };
                let mut args = Vec::new();
                while self.peek() != &Token::RParen {
                    args.push(self.expression(0)?);
                    if self.peek() == &Token::Comma {
                        self.advance();
                    } else if self.peek() != &Token::RParen {
                        return Err(self.error(format!("expected `,` or `)`, found {}", self.peek().describe())));
                    }
                }
                self.advance();
                match FUNCTIONS.iter().find(|(known, _)| *known == name) {
                    None => return Err(self.error(format!("unknown function `{name}()`"))),
                    Some((_, usize::MAX)) if args.is_empty() => {
                        return Err(self.error(format!("`{name}()` takes at least one argument")))
                    }
                    Some((_, arity)) if *arity != usize::MAX && *arity != args.len() => {
                        return Err(self.error(format!(
                            "`{name}()` takes {arity} argument{}, not {}",
                            if *arity == 1 { "" } else { "s" },
                            args.len()
                        )))
                    }
                    Some(_) => Node::Function(name, args),
                }
            }
            Token::Filter => self.filter(left)?,
            Token::Flatten => {
                let rhs = self.projection_rhs(Token::Flatten.binding_power())?;
                Node::Projection(Box::new(Node::Flatten(Box::new(left))), Box::new(rhs))
            }
            Token::LBracket => match self.peek() {
                Token::Number(_) | Token::Colon => {
                    let index = self.index_or_slice()?;
                    self.project_if_slice(left, index)?
                }
                _ => {
                    self.expect(&Token::Star)?;
                    self.expect(&Token::RBracket)?;
                    let rhs = self.projection_rhs(Token::Star.binding_power())?;
                    Node::Projection(Box::new(left), Box::new(rhs))
                }
            },
            other => return Err(self.error(format!("unexpected {}", other.describe()))),
        })
    }

    /// After `[?`: the condition, `]`, and what is projected onto each element that passes.
    fn filter(&mut self, left: Node) -> Result<Node, ParseError> {
        let condition = self.expression(0)?;
        self.expect(&Token::RBracket)?;
        let rhs = if self.peek() == &Token::Flatten {
            Node::Current
        } else {
            self.projection_rhs(Token::Filter.binding_power())?
        };
        Ok(Node::Filter {
            lhs: Box::new(left),
            condition: Box::new(condition),
            rhs: Box::new(rhs),
        })
    }

    /// After `[` when a number or `:` follows: `[0]`, `[-1]`, `[1:]`, `[::2]`.
    fn index_or_slice(&mut self) -> Result<Node, ParseError> {
        let mut parts: [Option<i64>; 3] = [None; 3];
        let mut part = 0;
        loop {
            match self.advance() {
                Token::RBracket => break,
                Token::Colon if part < 2 => part += 1,
                Token::Number(n) => match parts.get_mut(part) {
                    Some(slot @ None) => *slot = Some(n),
                    _ => return Err(self.error("expected `:` or `]`".to_owned())),
                },
                other => return Err(self.error(format!("unexpected {} in an index", other.describe()))),
            }
        }
        match (part, parts) {
            (0, [Some(i), _, _]) => Ok(Node::Index(i)),
            (0, _) => Err(self.error("empty index".to_owned())),
            (_, [_, _, Some(0)]) => Err(self.error("a slice step cannot be 0".to_owned())),
            (_, [start, stop, step]) => Ok(Node::Slice(start, stop, step)),
        }
    }

    fn project_if_slice(&mut self, left: Node, index: Node) -> Result<Node, ParseError> {
        let is_slice = matches!(index, Node::Slice(..));
        let indexed = Node::IndexExpression(Box::new(left), Box::new(index));
        if is_slice {
            let rhs = self.projection_rhs(Token::Star.binding_power())?;
            Ok(Node::Projection(Box::new(indexed), Box::new(rhs)))
        } else {
            Ok(indexed)
        }
    }

    fn projection_rhs(&mut self, binding_power: u8) -> Result<Node, ParseError> {
        let next = self.peek();
        if next.binding_power() < PROJECTION_STOP {
            Ok(Node::Current)
        } else if matches!(next, Token::LBracket | Token::Filter) {
            self.expression(binding_power)
        } else if next == &Token::Dot {
            self.advance();
            self.dot_rhs(binding_power)
        } else {
            Err(self.error(format!("unexpected {} after a projection", next.describe())))
        }
    }

    fn dot_rhs(&mut self, binding_power: u8) -> Result<Node, ParseError> {
        match self.peek() {
            Token::Identifier(_) | Token::QuotedIdentifier(_) | Token::Star => self.expression(binding_power),
            Token::LBracket => {
                self.advance();
                self.multi_list()
            }
            Token::LBrace => {
                self.advance();
                self.multi_hash()
            }
            other => Err(self.error(format!("expected a name after `.`, found {}", other.describe()))),
        }
    }

    /// After `[`: `expr, expr, ...]`.
    fn multi_list(&mut self) -> Result<Node, ParseError> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            match self.advance() {
                Token::Comma => continue,
                Token::RBracket => return Ok(Node::MultiList(items)),
                other => return Err(self.error(format!("expected `,` or `]`, found {}", other.describe()))),
            }
        }
    }

    /// After `{`: `key: expr, ...}`.
    fn multi_hash(&mut self) -> Result<Node, ParseError> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.advance() {
                Token::Identifier(key) | Token::QuotedIdentifier(key) => key,
                other => return Err(self.error(format!("expected a key, found {}", other.describe()))),
            };
            self.expect(&Token::Colon)?;
            pairs.push((key, self.expression(0)?));
            match self.advance() {
                Token::Comma => continue,
                Token::RBrace => return Ok(Node::MultiHash(pairs)),
                other => return Err(self.error(format!("expected `,` or `}}`, found {}", other.describe()))),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

/// JMESPath's falsy values: `null`, `false`, and empty strings, lists and objects.
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(_) => true,
    }
}

/// Equality as JMESPath defines it: numbers by value (`1 == 1.0`), lists and objects element by element.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| values_equal(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

fn eval(node: &Node, data: &Value) -> Value {
    match node {
        Node::Current => data.clone(),
        Node::Field(name) => data.get(name).cloned().unwrap_or(Value::Null),
        Node::Literal(value) => value.clone(),
        Node::Subexpression(lhs, rhs) => eval(rhs, &eval(lhs, data)),
        Node::Index(i) => match data {
            Value::Array(items) => resolve_index(*i, items.len())
                .and_then(|i| items.get(i))
                .cloned()
                .unwrap_or(Value::Null),
            _ => Value::Null,
        },
        Node::Slice(start, stop, step) => match data {
            Value::Array(items) => Value::Array(slice(items, *start, *stop, *step)),
            _ => Value::Null,
        },
        Node::IndexExpression(lhs, index) => eval(index, &eval(lhs, data)),
        Node::Projection(lhs, rhs) => match eval(lhs, data) {
            Value::Array(items) => project(items.iter(), rhs),
            _ => Value::Null,
        },
        Node::ValueProjection(lhs, rhs) => match eval(lhs, data) {
            Value::Object(map) => project(map.values(), rhs),
            _ => Value::Null,
        },
        Node::Flatten(inner) => match eval(inner, data) {
            Value::Array(items) => {
                let mut flat = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Array(inner) => flat.extend(inner),
                        other => flat.push(other),
                    }
                }
                Value::Array(flat)
            }
            _ => Value::Null,
        },
        Node::Filter { lhs, condition, rhs } => match eval(lhs, data) {
            Value::Array(items) => project(items.iter().filter(|item| is_truthy(&eval(condition, item))), rhs),
            _ => Value::Null,
        },
        Node::MultiList(items) => match data {
            Value::Null => Value::Null,
            _ => Value::Array(items.iter().map(|item| eval(item, data)).collect()),
        },
        Node::MultiHash(pairs) => match data {
            Value::Null => Value::Null,
            _ => Value::Object(
                pairs
                    .iter()
                    .map(|(key, item)| (key.clone(), eval(item, data)))
                    .collect::<Map<String, Value>>(),
            ),
        },
        Node::Pipe(lhs, rhs) => eval(rhs, &eval(lhs, data)),
        Node::Or(lhs, rhs) => {
            let left = eval(lhs, data);
            if is_truthy(&left) {
                left
            } else {
                eval(rhs, data)
            }
        }
        Node::And(lhs, rhs) => {
            let left = eval(lhs, data);
            if is_truthy(&left) {
                eval(rhs, data)
            } else {
                left
            }
        }
        Node::Not(inner) => Value::Bool(!is_truthy(&eval(inner, data))),
        Node::Compare(op, lhs, rhs) => compare(*op, &eval(lhs, data), &eval(rhs, data)),
        Node::Function(name, args) => {
            let args: Vec<Value> = args.iter().map(|arg| eval(arg, data)).collect();
            call(name, &args)
        }
    }
}

fn project<'a>(items: impl Iterator<Item = &'a Value>, rhs: &Node) -> Value {
    Value::Array(
        items
            .map(|item| eval(rhs, item))
            .filter(|value| !value.is_null())
            .collect(),
    )
}

fn resolve_index(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let i = if i < 0 { len + i } else { i };
    usize::try_from(i).ok()
}

fn slice(items: &[Value], start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> Vec<Value> {
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let step = step.unwrap_or(1);
    let clamp = |value: Option<i64>, default: i64| -> i64 {
        match value {
            None => default,
            Some(v) if v < 0 => {
                let v = len + v;
                if v < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    v
                }
            }
            Some(v) if v >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(v) => v,
        }
    };
    let (start, stop) = if step > 0 {
        (clamp(start, 0), clamp(stop, len))
    } else {
        (clamp(start, len - 1), clamp(stop, -1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if let Some(item) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
            out.push(item.clone());
        }
        i += step;
    }
    out
}

fn compare(op: Comparison, a: &Value, b: &Value) -> Value {
    match op {
        Comparison::Eq => Value::Bool(values_equal(a, b)),
        Comparison::Ne => Value::Bool(!values_equal(a, b)),
        _ => {
            // Ordering is defined on numbers, and on strings by code point (as the reference implementation
            // does); anything else compares as `null`.
            let ordering = match (a, b) {
                (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
                (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
                _ => None,
            };
            let Some(ordering) = ordering else {
                return Value::Null;
            };
            Value::Bool(match op {
                Comparison::Lt => ordering == Ordering::Less,
                Comparison::Le => ordering != Ordering::Greater,
                Comparison::Gt => ordering == Ordering::Greater,
                _ => ordering != Ordering::Less,
            })
        }
    }
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null)
    }
}

fn numbers(value: &Value) -> Option<Vec<f64>> {
    value.as_array()?.iter().map(Value::as_f64).collect()
}

fn call(name: &str, args: &[Value]) -> Value {
    let first = args.first().unwrap_or(&Value::Null);
    let second = args.get(1).unwrap_or(&Value::Null);
    match name {
        "length" => match first {
            Value::String(s) => Value::from(s.chars().count()),
            Value::Array(a) => Value::from(a.len()),
            Value::Object(o) => Value::from(o.len()),
            _ => Value::Null,
        },
        "contains" => match first {
            Value::Array(items) => Value::Bool(items.iter().any(|item| values_equal(item, second))),
            Value::String(s) => match second {
                Value::String(needle) => Value::Bool(s.contains(needle.as_str())),
                _ => Value::Null,
            },
            _ => Value::Null,
        },
        "starts_with" | "ends_with" => match (first, second) {
            (Value::String(s), Value::String(affix)) => Value::Bool(if name == "starts_with" {
                s.starts_with(affix.as_str())
            } else {
                s.ends_with(affix.as_str())
            }),
            _ => Value::Null,
        },
        "keys" => match first {
            Value::Object(o) => Value::Array(o.keys().cloned().map(Value::String).collect()),
            _ => Value::Null,
        },
        "values" => match first {
            Value::Object(o) => Value::Array(o.values().cloned().collect()),
            _ => Value::Null,
        },
        "type" => Value::from(match first {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }),
        "not_null" => args.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null),
        "abs" | "ceil" | "floor" => match first.as_f64() {
            Some(n) => number(match name {
                "abs" => n.abs(),
                "ceil" => n.ceil(),
                _ => n.floor(),
            }),
            None => Value::Null,
        },
        "sum" | "avg" => match numbers(first) {
            Some(ns) if name == "sum" => number(ns.iter().sum()),
            Some(ns) if !ns.is_empty() => number(ns.iter().sum::<f64>() / ns.len() as f64),
            _ => Value::Null,
        },
        "max" | "min" => {
            let Some(items) = first.as_array() else {
                return Value::Null;
            };
            let want = if name == "max" {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            let mut best: Option<&Value> = None;
            for item in items {
                let better = match (best, item) {
                    (None, Value::Number(_) | Value::String(_)) => true,
                    (Some(Value::Number(b)), Value::Number(n)) => n.as_f64().partial_cmp(&b.as_f64()) == Some(want),
                    (Some(Value::String(b)), Value::String(s)) => s.cmp(b) == want,
                    _ => return Value::Null,
                };
                if better {
                    best = Some(item);
                }
            }
            best.cloned().unwrap_or(Value::Null)
        }
        "join" => match (first, second) {
            (Value::String(glue), Value::Array(items)) => {
                let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                parts.map(|p| Value::from(p.join(glue))).unwrap_or(Value::Null)
            }
            _ => Value::Null,
        },
        "reverse" => match first {
            Value::Array(items) => Value::Array(items.iter().rev().cloned().collect()),
            Value::String(s) => Value::from(s.chars().rev().collect::<String>()),
            _ => Value::Null,
        },
        "to_array" => match first {
            Value::Array(_) => first.clone(),
            other => Value::Array(vec![other.clone()]),
        },
        "to_string" => match first {
            Value::String(_) => first.clone(),
            other => Value::from(other.to_string()),
        },
        "to_number" => match first {
            Value::Number(_) => first.clone(),
            Value::String(s) => s.parse::<f64>().ok().map(number).unwrap_or(Value::Null),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn search(expression: &str, data: Value) -> Value {
        Expression::parse(expression)
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
            .search(&data)
    }

    fn parse_error(expression: &str) -> String {
        Expression::parse(expression).unwrap_err().to_string()
    }

    #[test]
    fn fields_and_subexpressions() {
        let data = json!({"a": {"b": {"c": "x"}}, "with space": 1});
        assert_eq!(search("a.b.c", data.clone()), json!("x"));
        assert_eq!(search("a.missing.c", data.clone()), Value::Null);
        assert_eq!(search("\"with space\"", data.clone()), json!(1));
        assert_eq!(search("a.\"b\".c", data.clone()), json!("x"));
        assert_eq!(search("@.a.b", data.clone()), json!({"c": "x"}));
        // A field of a non-object is null.
        assert_eq!(search("a.b.c.d", data), Value::Null);
    }

    #[test]
    fn indexes_and_slices() {
        let data = json!({"a": [1, 2, 3, 4, 5]});
        assert_eq!(search("a[0]", data.clone()), json!(1));
        assert_eq!(search("a[-1]", data.clone()), json!(5));
        assert_eq!(search("a[9]", data.clone()), Value::Null);
        assert_eq!(search("a[1:3]", data.clone()), json!([2, 3]));
        assert_eq!(search("a[::-2]", data.clone()), json!([5, 3, 1]));
        assert_eq!(search("a[-2:]", data.clone()), json!([4, 5]));
        assert_eq!(search("[0]", json!(["x"])), json!("x"));
        assert!(parse_error("a[::0]").contains("step cannot be 0"));
    }

    #[test]
    fn projections_and_flatten() {
        let data = json!({"tasks": [{"lastStatus": "RUNNING"}, {"other": 1}, {"lastStatus": "STOPPED"}]});
        // `[]` flattens and projects; elements whose projection is null are dropped.
        assert_eq!(
            search("tasks[].lastStatus", data.clone()),
            json!(["RUNNING", "STOPPED"])
        );
        assert_eq!(
            search("tasks[*].lastStatus", data.clone()),
            json!(["RUNNING", "STOPPED"])
        );
        assert_eq!(search("tasks[].lastStatus | [0]", data.clone()), json!("RUNNING"));
        // A projection stops at a pipe, not at an index.
        assert_eq!(search("tasks[*].lastStatus[0]", data), json!([]));
        assert_eq!(
            search("a[]", json!({"a": [[1, 2], 3, [4, [5]]]})),
            json!([1, 2, 3, 4, [5]])
        );
        assert_eq!(search("a[][]", json!({"a": [[1, [2]], [[3]]]})), json!([1, 2, 3]));
        assert_eq!(
            search("*.b", json!({"x": {"b": 1}, "y": {"b": 2}, "z": {}})),
            json!([1, 2])
        );
        assert_eq!(search("a.*", json!({"a": [1]})), Value::Null);
        // Projecting a non-list is null, so an absent list is not an empty one.
        assert_eq!(search("missing[].x", json!({})), Value::Null);
    }

    #[test]
    fn filters() {
        let data = json!({"services": [
            {"name": "a", "status": "ACTIVE", "runningCount": 1, "desiredCount": 1},
            {"name": "b", "status": "DRAINING", "runningCount": 0, "desiredCount": 2},
        ]});
        assert_eq!(search("services[?status == 'ACTIVE'].name", data.clone()), json!(["a"]));
        assert_eq!(
            search("services[?runningCount == desiredCount].name", data.clone()),
            json!(["a"])
        );
        assert_eq!(
            search("services[?runningCount < desiredCount] | [0].name", data.clone()),
            json!("b")
        );
        assert_eq!(
            search("services[?!(status == 'ACTIVE')].name", data.clone()),
            json!(["b"])
        );
        assert_eq!(search("length(services[?status != 'ACTIVE'])", data), json!(1));
        assert_eq!(search("[?@ > `1`]", json!([1, 2, 3])), json!([2, 3]));
    }

    #[test]
    fn the_ecs_services_stable_expression() {
        let path = "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`";
        let stable = json!({"services": [{"deployments": [{}], "runningCount": 2, "desiredCount": 2}]});
        let deploying = json!({"services": [{"deployments": [{}, {}], "runningCount": 2, "desiredCount": 2}]});
        let scaling = json!({"services": [{"deployments": [{}], "runningCount": 1, "desiredCount": 2}]});
        assert_eq!(search(path, stable), json!(true));
        assert_eq!(search(path, deploying), json!(false));
        assert_eq!(search(path, scaling), json!(false));
        // No `services` at all: `length(null)` is null, and null is not 0.
        assert_eq!(search(path, json!({})), json!(false));
        assert_eq!(search(path, json!({"services": []})), json!(true));
    }

    #[test]
    fn comparisons() {
        assert_eq!(search("a == `1.0`", json!({"a": 1})), json!(true));
        assert_eq!(search("a == 'x'", json!({"a": "x"})), json!(true));
        assert_eq!(search("a != 'x'", json!({"a": "y"})), json!(true));
        assert_eq!(
            search("a == b", json!({"a": [1, {"c": 2}], "b": [1.0, {"c": 2}]})),
            json!(true)
        );
        assert_eq!(search("a < `2`", json!({"a": 1})), json!(true));
        assert_eq!(search("a <= `1`", json!({"a": 1})), json!(true));
        assert_eq!(search("a > `1`", json!({"a": 1})), json!(false));
        assert_eq!(search("a >= `1`", json!({"a": 1})), json!(true));
        assert_eq!(search("a < 'b'", json!({"a": "a"})), json!(true));
        // Ordering anything else is not defined: null.
        assert_eq!(search("a < `[1]`", json!({"a": [0]})), Value::Null);
        assert_eq!(search("missing == `null`", json!({})), json!(true));
    }

    #[test]
    fn boolean_operators() {
        let data = json!({"t": true, "f": false, "empty": [], "s": "x"});
        assert_eq!(search("t && s", data.clone()), json!("x"));
        assert_eq!(search("f && s", data.clone()), json!(false));
        assert_eq!(search("empty || s", data.clone()), json!("x"));
        assert_eq!(search("missing || f", data.clone()), json!(false));
        assert_eq!(search("!empty", data.clone()), json!(true));
        assert_eq!(search("!s", data.clone()), json!(false));
        // `&&` binds tighter than `||`, `!` tighter than both.
        assert_eq!(search("t || f && f", data.clone()), json!(true));
        assert_eq!(search("!f && t", data), json!(true));
    }

    #[test]
    fn functions() {
        let data = json!({"list": [3, 1, 2], "s": "héllo", "o": {"a": 1, "b": 2}, "names": ["a", "b"]});
        assert_eq!(search("length(list)", data.clone()), json!(3));
        assert_eq!(search("length(s)", data.clone()), json!(5));
        assert_eq!(search("length(o)", data.clone()), json!(2));
        assert_eq!(search("length(missing)", data.clone()), Value::Null);
        assert_eq!(search("contains(list, `2`)", data.clone()), json!(true));
        assert_eq!(search("contains(s, 'll')", data.clone()), json!(true));
        assert_eq!(search("contains(names, 'c')", data.clone()), json!(false));
        assert_eq!(search("starts_with(s, 'hé')", data.clone()), json!(true));
        assert_eq!(search("ends_with(s, 'x')", data.clone()), json!(false));
        assert_eq!(search("keys(o)", data.clone()), json!(["a", "b"]));
        assert_eq!(search("values(o)", data.clone()), json!([1, 2]));
        assert_eq!(search("max(list)", data.clone()), json!(3));
        assert_eq!(search("min(names)", data.clone()), json!("a"));
        assert_eq!(search("sum(list)", data.clone()), json!(6));
        assert_eq!(search("avg(list)", data.clone()), json!(2));
        assert_eq!(search("join(', ', names)", data.clone()), json!("a, b"));
        assert_eq!(search("reverse(list)", data.clone()), json!([2, 1, 3]));
        assert_eq!(search("type(o)", data.clone()), json!("object"));
        assert_eq!(search("not_null(missing, s)", data.clone()), json!("héllo"));
        assert_eq!(search("to_number('2.5')", data.clone()), json!(2.5));
        assert_eq!(search("to_string(`1`)", data.clone()), json!("1"));
        assert_eq!(search("abs(`-2`)", data), json!(2));
    }

    #[test]
    fn literals_multiselect_and_pipes() {
        let data = json!({"a": 1, "b": {"c": 2}});
        assert_eq!(
            search("`{\"k\": [1, true, null]}`", data.clone()),
            json!({"k": [1, true, null]})
        );
        assert_eq!(search("'it\\'s'", data.clone()), json!("it's"));
        assert_eq!(search("[a, b.c]", data.clone()), json!([1, 2]));
        assert_eq!(search("{x: a, y: b.c}", data.clone()), json!({"x": 1, "y": 2}));
        assert_eq!(search("b | c", data.clone()), json!(2));
        assert_eq!(search("b.[c, a]", data), json!([2, null]));
    }

    #[test]
    fn bad_expressions_are_errors_with_an_offset() {
        assert_eq!(
            parse_error("a."),
            "at offset 2: expected a name after `.`, found end of expression"
        );
        assert_eq!(
            parse_error("a[?b == 'c'"),
            "at offset 11: expected `]`, found end of expression"
        );
        assert_eq!(parse_error("nope(a)"), "at offset 7: unknown function `nope()`");
        assert_eq!(
            parse_error("length(a, b)"),
            "at offset 12: `length()` takes 1 argument, not 2"
        );
        assert_eq!(parse_error("a $ b"), "at offset 2: unexpected character `$`");
        assert_eq!(
            parse_error("`{bad`"),
            "at offset 0: bad JSON literal `{bad`: key must be a string at line 1 column 2"
        );
        assert!(parse_error("sort_by(a, &b)").contains("expression references"));
        assert!(parse_error("a b").contains("unexpected identifier `b`"));
        assert!(parse_error("'open").contains("unclosed"));
    }

    /// Nesting a recursive-descent parser would follow until the stack overflows is refused by length first.
    #[test]
    fn deep_expressions_are_errors_not_stack_overflows() {
        for deep in [
            format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000)),
            format!("{}a", "!".repeat(100_000)),
            format!("{}a", "a.".repeat(100_000)),
            format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
        ] {
            assert!(parse_error(&deep).contains("longer than 256 tokens"), "{}", &deep[..10]);
        }
        let longest = format!("{}a{}", "(".repeat(127), ")".repeat(127));
        assert_eq!(
            Expression::parse(&longest).map(|e| e.search(&json!({"a": 1}))),
            Ok(json!(1))
        );
    }
}
