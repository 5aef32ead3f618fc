//! Paginators: the loop that pages through a list operation, shared by every generated paginator.
//!
//! A generated `ListTaskDefinitionsPaginator` implements [`Paginate`] (how to build the first input, send one
//! page, and read and write the token) and, when the model names a page's items, [`PaginateItems`]. Everything
//! else lives here: [`PaginationStream`] yields pages as `next().await` asks for them, [`ItemStream`] flattens
//! them to their items, and [`BlockingPages`] and [`BlockingItems`] are the same as iterators for programs without
//! an async runtime.
//!
//! Paging ends after a page whose next token is absent or empty. A page whose token is the one just sent is
//! yielded and followed by an [`SdkError::Pagination`] error (as botocore raises `PaginationError`): following
//! it would ask for the same page forever. An error ends the stream after it is yielded.
//!
//! The streams have an `async fn next(&mut self)` rather than implementing `futures::Stream`, so the runtime
//! (every generated crate's only dependency) needs no `futures` crate; `collect` gathers the rest of a stream.
//! Dropping a `next()` future before it completes loses nothing: the next call sends the same page again.

use crate::error::{PaginationError, SdkError};
use crate::transport::block_on;
use std::fmt;
use std::future::Future;
use std::iter::FusedIterator;

/// One paginated operation, as a generated paginator (`ListTaskDefinitionsPaginator`) implements it.
pub trait Paginate {
    /// The operation's input.
    type Input: Clone;
    /// The operation's output: one page.
    type Output;
    /// The operation's error enum.
    type Error;

    /// The input of the first page (building it may fail: a required member is not set).
    fn first_input(&self) -> Result<Self::Input, SdkError<Self::Error>>;

    /// Validates and sends one page's request.
    fn send_page(&self, input: Self::Input) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error>>>;

    /// The token an input carries (the one a page was asked with).
    fn input_token(input: &Self::Input) -> Option<&str>;

    /// Sets the token of the next page's input.
    fn set_input_token(input: &mut Self::Input, token: String);

    /// The next token a page gives, if any.
    fn output_token(output: &Self::Output) -> Option<&str>;
}

/// A paginated operation whose pages hold a list or map of items (the model's result key).
pub trait PaginateItems: Paginate {
    /// A page's items (`Vec<T>`, or `HashMap<K, V>` whose items are `(K, V)`).
    type Items: IntoIterator;

    /// Takes the items out of a page (none when the page has no such member).
    fn items(output: Self::Output) -> Self::Items;
}

/// What a stream does at its next call.
enum State<I, E> {
    /// Send this input (the first, or the one with the last page's token).
    Send(I),
    /// Yield this error, then end.
    Fail(SdkError<E>),
    Done,
}

/// The pages of a paginated operation, fetched one at a time as [`next`](Self::next) asks for them (nothing is
/// sent before).
pub struct PaginationStream<P: Paginate> {
    paginator: P,
    state: State<P::Input, P::Error>,
}

impl<P: Paginate> PaginationStream<P> {
    /// A stream starting at the paginator's input (a build error is the stream's first item).
    pub fn new(paginator: P) -> Self {
        let state = match paginator.first_input() {
            Ok(input) => State::Send(input),
            Err(e) => State::Fail(e),
        };
        Self { paginator, state }
    }

    /// The next page; `None` once the last page (or an error) has been yielded.
    pub async fn next(&mut self) -> Option<Result<P::Output, SdkError<P::Error>>> {
        let input = match &self.state {
            State::Send(input) => input.clone(),
            State::Fail(_) => {
                return match std::mem::replace(&mut self.state, State::Done) {
                    State::Fail(e) => Some(Err(e)),
                    _ => None,
                }
            }
            State::Done => return None,
        };
        // The state changes only once the page is in, so a dropped `next()` future loses nothing.
        let page = self.paginator.send_page(input).await;
        let State::Send(sent) = &mut self.state else {
            return Some(page);
        };
        match &page {
            Ok(output) => match P::output_token(output) {
                None | Some("") => self.state = State::Done,
                Some(token) if P::input_token(sent) == Some(token) => {
                    self.state = State::Fail(SdkError::Pagination(PaginationError::repeated_token(token)));
                }
                Some(token) => P::set_input_token(sent, token.to_owned()),
            },
            Err(_) => self.state = State::Done,
        }
        Some(page)
    }

    /// Gathers the remaining pages: `.collect::<Result<Vec<_>, _>>().await` stops at the first error.
    pub async fn collect<C: FromIterator<Result<P::Output, SdkError<P::Error>>>>(mut self) -> C {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page);
        }
        pages.into_iter().collect()
    }

    /// The same pages as an iterator that waits for each on the current thread.
    pub fn blocking(self) -> BlockingPages<P> {
        BlockingPages(self)
    }
}

impl<P: Paginate> fmt::Debug for PaginationStream<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Send(_) => "more pages",
            State::Fail(_) => "an error next",
            State::Done => "done",
        };
        f.debug_struct("PaginationStream").field("state", &state).finish()
    }
}

/// The items of every page of a paginated operation, in order, fetching pages as [`next`](Self::next) needs
/// them.
pub struct ItemStream<P: PaginateItems> {
    pages: PaginationStream<P>,
    items: Option<<P::Items as IntoIterator>::IntoIter>,
}

impl<P: PaginateItems> ItemStream<P> {
    /// A stream of the items of the paginator's pages.
    pub fn new(paginator: P) -> Self {
        Self {
            pages: PaginationStream::new(paginator),
            items: None,
        }
    }

    /// The next item; an error fetching a page is yielded in its place and ends the stream.
    pub async fn next(&mut self) -> Option<Result<<P::Items as IntoIterator>::Item, SdkError<P::Error>>> {
        loop {
            if let Some(item) = self.items.as_mut().and_then(Iterator::next) {
                return Some(Ok(item));
            }
            self.items = None;
            match self.pages.next().await? {
                Ok(page) => self.items = Some(P::items(page).into_iter()),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Gathers the remaining items: `.collect::<Result<Vec<_>, _>>().await` stops at the first error.
    pub async fn collect<C: FromIterator<Result<<P::Items as IntoIterator>::Item, SdkError<P::Error>>>>(mut self) -> C {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item);
        }
        items.into_iter().collect()
    }

    /// The same items as an iterator that waits for each page on the current thread.
    pub fn blocking(self) -> BlockingItems<P> {
        BlockingItems(self)
    }
}

impl<P: PaginateItems> fmt::Debug for ItemStream<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream").field("pages", &self.pages).finish()
    }
}

/// [`PaginationStream`] as an [`Iterator`]: each `next()` waits for its page on the current thread (with the
/// runtime's `block_on`, as `send_blocking` does).
#[derive(Debug)]
pub struct BlockingPages<P: Paginate>(PaginationStream<P>);

impl<P: Paginate> Iterator for BlockingPages<P> {
    type Item = Result<P::Output, SdkError<P::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        block_on(self.0.next())
    }
}

impl<P: Paginate> FusedIterator for BlockingPages<P> {}

/// [`ItemStream`] as an [`Iterator`]: waits for each page on the current thread.
#[derive(Debug)]
pub struct BlockingItems<P: PaginateItems>(ItemStream<P>);

impl<P: PaginateItems> Iterator for BlockingItems<P> {
    type Item = Result<<P::Items as IntoIterator>::Item, SdkError<P::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        block_on(self.0.next())
    }
}

impl<P: PaginateItems> FusedIterator for BlockingItems<P> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::VecDeque;

    /// A scripted page: (next token, items), or an error message.
    type Reply = Result<(Option<&'static str>, Vec<u32>), &'static str>;

    /// Pages scripted as (token, items) or an error; records the tokens it was asked with.
    struct Script {
        first_token: Option<String>,
        replies: RefCell<VecDeque<Reply>>,
        asked: RefCell<Vec<Option<String>>>,
    }

    #[derive(Debug)]
    struct Page {
        token: Option<&'static str>,
        items: Vec<u32>,
    }

    fn script(replies: Vec<Reply>) -> Script {
        Script {
            first_token: None,
            replies: RefCell::new(replies.into()),
            asked: RefCell::new(Vec::new()),
        }
    }

    impl Paginate for &Script {
        type Input = Option<String>;
        type Output = Page;
        type Error = &'static str;

        fn first_input(&self) -> Result<Option<String>, SdkError<&'static str>> {
            Ok(self.first_token.clone())
        }

        async fn send_page(&self, input: Option<String>) -> Result<Page, SdkError<&'static str>> {
            self.asked.borrow_mut().push(input);
            match self.replies.borrow_mut().pop_front() {
                Some(Ok((token, items))) => Ok(Page { token, items }),
                Some(Err(message)) => Err(SdkError::Construction(crate::error::ConstructionError::configuration(
                    message,
                ))),
                None => panic!("asked for a page the script does not have"),
            }
        }

        fn input_token(input: &Option<String>) -> Option<&str> {
            input.as_deref()
        }

        fn set_input_token(input: &mut Option<String>, token: String) {
            *input = Some(token);
        }

        fn output_token(output: &Page) -> Option<&str> {
            output.token
        }
    }

    impl PaginateItems for &Script {
        type Items = Vec<u32>;

        fn items(output: Page) -> Vec<u32> {
            output.items
        }
    }

    #[test]
    fn pages_follow_the_token_until_it_is_absent() {
        let script = script(vec![
            Ok((Some("a"), vec![1, 2])),
            Ok((Some("b"), vec![])),
            Ok((None, vec![3])),
        ]);
        let pages: Result<Vec<Page>, _> = block_on(PaginationStream::new(&script).collect());
        assert_eq!(pages.unwrap().len(), 3);
        assert_eq!(
            *script.asked.borrow(),
            [None, Some("a".to_owned()), Some("b".to_owned())]
        );
    }

    #[test]
    fn an_empty_token_ends_paging() {
        let script = script(vec![Ok((Some("a"), vec![1])), Ok((Some(""), vec![2]))]);
        let items: Vec<u32> = BlockingItems(ItemStream::new(&script)).map(Result::unwrap).collect();
        assert_eq!(items, [1, 2]);
    }

    #[test]
    fn a_repeated_token_is_an_error_after_its_page() {
        let script = script(vec![Ok((Some("a"), vec![1])), Ok((Some("a"), vec![2]))]);
        let mut pages = PaginationStream::new(&script).blocking();
        assert!(pages.next().unwrap().is_ok());
        assert!(pages.next().unwrap().is_ok());
        let Some(Err(SdkError::Pagination(e))) = pages.next() else {
            panic!("expected a pagination error")
        };
        assert_eq!(e.token(), "a");
        assert!(pages.next().is_none());
        assert!(pages.next().is_none());
    }

    #[test]
    fn a_starting_token_that_comes_back_is_repeated() {
        let mut script = script(vec![Ok((Some("start"), vec![1]))]);
        script.first_token = Some("start".to_owned());
        let items: Vec<_> = ItemStream::new(&script).blocking().collect();
        assert!(matches!(items.as_slice(), [Ok(1), Err(SdkError::Pagination(_))]));
    }

    #[test]
    fn an_error_ends_the_stream() {
        let script = script(vec![Ok((Some("a"), vec![1])), Err("boom")]);
        let items: Result<Vec<u32>, _> = block_on(ItemStream::new(&script).collect());
        assert!(items.unwrap_err().to_string().contains("boom"));
        let script = self::script(vec![Err("boom")]);
        let mut pages = PaginationStream::new(&script);
        assert!(block_on(pages.next()).unwrap().is_err());
        assert!(block_on(pages.next()).is_none());
        assert_eq!(format!("{pages:?}"), r#"PaginationStream { state: "done" }"#);
    }
}
