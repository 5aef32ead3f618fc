//! Paginators: the loop that pages through a list operation, shared by every generated paginator.
//!
//! A generated `ListTaskDefinitionsPaginator` implements [`Paginate`] (how to build the first input, send one
//! page, and read and write the token) and, when the model names a page's items, [`PaginateItems`]. Everything
//! else lives here: [`PaginationStream`] yields pages as `next().await` asks for them, [`ItemStream`] flattens
//! them to their items, and [`BlockingPages`] and [`BlockingItems`] are the same as iterators for programs without
//! an async runtime.
//!
//! Paging ends after a page whose next token is absent or empty, or that says no more results follow (where the
//! model names a member for that). A page whose token is the one just sent is
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

    /// The token's type: a string for nearly every operation; the key map for DynamoDB's `Query` and `Scan`.
    type Token: PageToken;

    /// The token an input carries (the one a page was asked with).
    fn input_token(input: &Self::Input) -> Option<&Self::Token>;

    /// Sets the token of the next page's input.
    fn set_input_token(input: &mut Self::Input, token: Self::Token);

    /// The next token a page gives, if any.
    fn output_token(output: &Self::Output) -> Option<&Self::Token>;

    /// Whether the page says more pages follow, for operations whose model names a member for it (`more_results`
    /// in botocore's paginators, such as Kinesis's `HasMoreShards`): a page that says no ends paging even if it
    /// gives a token. True otherwise.
    fn more_results(_output: &Self::Output) -> bool {
        true
    }
}

/// A pagination token: compared with the one just sent, and empty when there are no more pages.
pub trait PageToken: Clone + PartialEq + fmt::Debug {
    /// An empty token ends paging as an absent one does.
    fn is_empty(&self) -> bool;

    /// The token as the repeated-token error shows it.
    fn describe(&self) -> String {
        format!("{self:?}")
    }
}

impl PageToken for String {
    fn is_empty(&self) -> bool {
        str::is_empty(self)
    }

    fn describe(&self) -> String {
        self.clone()
    }
}

impl<K, V, S> PageToken for std::collections::HashMap<K, V, S>
where
    K: Eq + std::hash::Hash + Clone + fmt::Debug,
    V: PartialEq + Clone + fmt::Debug,
    S: std::hash::BuildHasher + Clone,
{
    fn is_empty(&self) -> bool {
        std::collections::HashMap::is_empty(self)
    }
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
                Some(token) if !token.is_empty() && P::more_results(output) => {
                    if P::input_token(sent) == Some(token) {
                        let repeated = PaginationError::repeated_token(token.describe());
                        self.state = State::Fail(SdkError::Pagination(repeated));
                    } else {
                        P::set_input_token(sent, token.clone());
                    }
                }
                _ => self.state = State::Done,
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
        token: Option<String>,
        items: Vec<u32>,
        more: bool,
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
                Some(Ok((token, items))) => Ok(Page {
                    more: token != Some("stop"),
                    token: token.map(str::to_owned),
                    items,
                }),
                Some(Err(message)) => Err(SdkError::Construction(crate::error::ConstructionError::configuration(
                    message,
                ))),
                None => panic!("asked for a page the script does not have"),
            }
        }

        type Token = String;

        fn input_token(input: &Option<String>) -> Option<&String> {
            input.as_ref()
        }

        fn set_input_token(input: &mut Option<String>, token: String) {
            *input = Some(token);
        }

        fn output_token(output: &Page) -> Option<&String> {
            output.token.as_ref()
        }

        fn more_results(output: &Page) -> bool {
            output.more
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
    fn a_page_that_says_no_more_results_ends_paging_whatever_its_token() {
        // Scripted pages with the token "stop" say there are no more results.
        let script = script(vec![Ok((Some("a"), vec![1])), Ok((Some("stop"), vec![2]))]);
        let items: Vec<u32> = BlockingItems(ItemStream::new(&script)).map(Result::unwrap).collect();
        assert_eq!(items, [1, 2]);
        assert_eq!(script.asked.borrow().len(), 2);
    }

    #[test]
    fn map_tokens_page_until_the_map_is_empty() {
        use std::collections::HashMap;
        /// Pages keyed as DynamoDB's `LastEvaluatedKey`: a map, empty or absent on the last page.
        struct Keys(
            RefCell<Vec<Option<HashMap<String, u32>>>>,
            RefCell<Vec<Option<HashMap<String, u32>>>>,
        );
        impl Paginate for &Keys {
            type Input = Option<HashMap<String, u32>>;
            type Output = Option<HashMap<String, u32>>;
            type Error = &'static str;
            type Token = HashMap<String, u32>;
            fn first_input(&self) -> Result<Self::Input, SdkError<&'static str>> {
                Ok(None)
            }
            async fn send_page(&self, input: Self::Input) -> Result<Self::Output, SdkError<&'static str>> {
                self.1.borrow_mut().push(input);
                Ok(self.0.borrow_mut().remove(0))
            }
            fn input_token(input: &Self::Input) -> Option<&Self::Token> {
                input.as_ref()
            }
            fn set_input_token(input: &mut Self::Input, token: Self::Token) {
                *input = Some(token);
            }
            fn output_token(output: &Self::Output) -> Option<&Self::Token> {
                output.as_ref()
            }
        }
        let key = |v: u32| Some(HashMap::from([("id".to_owned(), v)]));
        let keys = Keys(
            RefCell::new(vec![key(1), key(2), Some(HashMap::new())]),
            RefCell::default(),
        );
        let pages: Vec<_> = PaginationStream::new(&keys).blocking().collect();
        assert_eq!(pages.len(), 3);
        assert_eq!(*keys.1.borrow(), [None, key(1), key(2)]);
        // A key that comes back is a repeated token, shown as the map it is.
        let keys = Keys(RefCell::new(vec![key(1), key(1)]), RefCell::default());
        let pages: Vec<_> = PaginationStream::new(&keys).blocking().collect();
        let Some(Err(SdkError::Pagination(e))) = pages.last() else {
            panic!("expected a pagination error")
        };
        assert_eq!(e.token(), r#"{"id": 1}"#);
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
