//! Paginators, shaped as aws-sdk-rust has them: `client.list_things().into_paginator().send()` (pages) and
//! `.items().send()` (their items), each with `send_blocking()`. The loop, the token checks and the streams are
//! the runtime's (`awsgen_runtime::paginator`); a generated paginator only says how to build the first input,
//! send a page and read and write the token, by implementing its `Paginate` and `PaginateItems` traits.

use super::builders::build_is_fallible;
use super::doc_attrs::lines;
use super::paths;
use super::rust_types::{builder_path, path_tokens, rust_type, type_path};
use super::Role;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The fluent builder's `into_paginator()`, for a paginated operation.
pub fn into_paginator(op: &Operation) -> Option<TokenStream> {
    op.paginator.as_ref()?;
    let path = paginator_path(op, &op.symbols.paginator);
    let doc = lines(&format!(
        "Pages through the results instead of sending one request: [`{}`]({}), with the input set so far.",
        op.symbols.paginator,
        paginator_path_text(op, &op.symbols.paginator)
    ));
    Some(quote! {
        #doc
        pub fn into_paginator(self) -> #path {
            #path::new(self.client, self.inner)
        }
    })
}

/// `crate::operation::<op>::paginator::<name>`.
fn paginator_path(op: &Operation, name: &str) -> TokenStream {
    let module = path_tokens(&op.symbols.module_path);
    let name = ident(name);
    quote!(#module::paginator::#name)
}

fn paginator_path_text(op: &Operation, name: &str) -> String {
    format!("{}::paginator::{name}", op.symbols.module_path.join("::"))
}

/// The operation's `paginator` module, if it is paginated; an error if a path of its paginator does not resolve
/// (a generator bug: the front-end checked them).
pub fn paginator_module(service: &Service, op: &Operation) -> Result<Option<TokenStream>, String> {
    let Some(paginator) = &op.paginator else {
        return Ok(None);
    };
    let input_shape = service
        .get_shape(op.input)
        .ok_or_else(|| bug(op, "its input is not in the IR"))?;
    let output_shape = service
        .get_shape(op.output)
        .ok_or_else(|| bug(op, "its output is not in the IR"))?;
    let ShapeKind::Structure(input) = &input_shape.kind else {
        return Err(bug(op, "its input is not a structure"));
    };
    let wire = &op.wire_name;
    let name = ident(&op.symbols.paginator);
    let (input_path, output_path, input_builder) = (
        type_path(input_shape),
        type_path(output_shape),
        builder_path(input_shape),
    );
    let error_path = {
        let module = path_tokens(&op.symbols.module_path);
        let error = ident(&op.symbols.error_enum);
        quote!(#module::#error)
    };
    let (paginate, pagination_stream, blocking_pages) =
        (paths::paginate(), paths::pagination_stream(), paths::blocking_pages());
    let (sdk_error, invoke) = (paths::sdk_error(), paths::invoke());

    let input_token = members(service, op, op.input, std::slice::from_ref(&paginator.input_token))?;
    let token_type = rust_type(service, input_token.target);
    let input_token = ident(&input_token.field);
    let output_token = members(service, op, op.output, &paginator.output_token)?.borrow();
    let more_results = match &paginator.more_results {
        Some(path) => {
            let more = members(service, op, op.output, path)?.borrow();
            Some(quote! {
                fn more_results(output: &#output_path) -> bool {
                    #more.copied().unwrap_or(false)
                }
            })
        }
        None => None,
    };
    let first_input = if build_is_fallible(input, Role::Input) {
        quote!(::std::result::Result::Ok(
            ::std::clone::Clone::clone(&self.builder).build()?
        ))
    } else {
        quote!(::std::result::Result::Ok(
            ::std::clone::Clone::clone(&self.builder).build()
        ))
    };
    let page_size = match &paginator.page_size {
        Some(member) => {
            let resolved = members(service, op, op.input, std::slice::from_ref(member))?;
            let (field, ty) = (ident(&resolved.field), rust_type(service, resolved.target));
            let doc = lines(&format!(
                "Sets the page size: the most results one page holds (`{member}`).\n\nThis replaces the value \
                 [`{}`]({}::builders::{}::{}) set.",
                resolved.field,
                op.symbols.module_path.join("::"),
                op.symbols.fluent_builder,
                resolved.field
            ));
            Some(quote! {
                #doc
                pub fn page_size(mut self, limit: #ty) -> Self {
                    self.builder.#field = ::std::option::Option::Some(limit);
                    self
                }
            })
        }
        None => None,
    };
    let items = match &paginator.items {
        Some(path) => Some(items(service, op, path)?),
        None => None,
    };
    let (items_method, items_items) = match items {
        Some((method, items)) => (Some(method), Some(items)),
        None => (None, None),
    };
    let module_doc = lines(&format!(
        "Paging through `{wire}`: [`{}`]({}).",
        op.symbols.paginator,
        paginator_path_text(op, &op.symbols.paginator)
    ));
    let doc = lines(&format!(
        "Pages through `{wire}`: each request carries the `{}` the previous page gave as `{}`, until a page gives \
         none (or an empty one){}.\n\nA page that gives back the token it was sent is followed by an error \
         ([`SdkError::Pagination`](crate::error::SdkError::Pagination)).\n\nMade by [`into_paginator`]({}::builders::{}::into_paginator); nothing is sent until the stream is read.",
        paginator.input_token,
        paginator.output_token.join("."),
        paginator
            .more_results
            .as_ref()
            .map(|path| format!(" or says `{}` is false", path.join(".")))
            .unwrap_or_default(),
        op.symbols.module_path.join("::"),
        op.symbols.fluent_builder,
    ));
    let stream_text = paths::text(&pagination_stream);
    let send_doc = lines(&format!(
        "The pages, one request each, sent as [`next().await`]({stream_text}::next) asks for them; \
         [`collect`]({stream_text}::collect) gathers them."
    ));
    Ok(Some(quote! {
        #module_doc
        pub mod paginator {
            #doc
            #[derive(::std::clone::Clone, ::std::fmt::Debug)]
            pub struct #name {
                client: crate::Client,
                builder: #input_builder,
            }

            impl #name {
                pub(crate) fn new(client: crate::Client, builder: #input_builder) -> Self {
                    Self { client, builder }
                }

                #page_size

                #items_method

                #send_doc
                pub fn send(self) -> #pagination_stream<Self> {
                    #pagination_stream::new(self)
                }

                /// The pages as an iterator that waits for each on the current thread, for programs with no async
                /// runtime.
                pub fn send_blocking(self) -> #blocking_pages<Self> {
                    #pagination_stream::new(self).blocking()
                }
            }

            impl #paginate for #name {
                type Input = #input_path;
                type Output = #output_path;
                type Error = #error_path;

                fn first_input(&self) -> ::std::result::Result<#input_path, #sdk_error<#error_path>> {
                    #first_input
                }

                async fn send_page(
                    &self,
                    input: #input_path,
                ) -> ::std::result::Result<#output_path, #sdk_error<#error_path>> {
                    input.validate()?;
                    #invoke(&crate::client::SERVICE, self.client.config(), &super::OPERATION, input).await
                }

                type Token = #token_type;

                fn input_token(input: &#input_path) -> ::std::option::Option<&#token_type> {
                    input.#input_token.as_ref()
                }

                fn set_input_token(input: &mut #input_path, token: #token_type) {
                    input.#input_token = ::std::option::Option::Some(token);
                }

                fn output_token(output: &#output_path) -> ::std::option::Option<&#token_type> {
                    #output_token
                }

                #more_results
            }

            #items_items
        }
    }))
}

/// The `items()` method and the flattening wrapper with its `PaginateItems` impl.
fn items(service: &Service, op: &Operation, path: &[String]) -> Result<(TokenStream, TokenStream), String> {
    let resolved = members(service, op, op.output, path)?;
    let items_type = rust_type(service, resolved.target);
    let (what, as_pairs) = match service.get_shape(resolved.target).map(|s| &s.kind) {
        Some(ShapeKind::Map { .. }) => ("entries", " as (key, value) pairs"),
        _ => ("items", ""),
    };
    let take = resolved.take();
    let (name, items_name) = (ident(&op.symbols.paginator), ident(&op.symbols.paginator_items));
    let output_path = type_path(service.shape(op.output));
    let (paginate_items, item_stream, blocking_items) =
        (paths::paginate_items(), paths::item_stream(), paths::blocking_items());
    let joined = path.join(".");
    let stream_text = paths::text(&item_stream);
    let send_doc = lines(&format!(
        "The items, fetched page by page as [`next().await`]({stream_text}::next) asks for them; \
         [`collect`]({stream_text}::collect) gathers them."
    ));
    let method_doc = lines(&format!(
        "The {what} of every page's `{joined}`{as_pairs}, in order, instead of the pages: [`{}`].",
        op.symbols.paginator_items,
    ));
    let doc = lines(&format!(
        "The {what} of every page's `{joined}`{as_pairs} of `{}`, fetching pages as they are needed.\n\nMade by \
         [`items`]({}::items).",
        op.wire_name,
        paginator_path_text(op, &op.symbols.paginator)
    ));
    let method = quote! {
        #method_doc
        pub fn items(self) -> #items_name {
            #items_name(self)
        }
    };
    let wrapper = quote! {
        #doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #items_name(#name);

        impl #items_name {
            #send_doc
            pub fn send(self) -> #item_stream<#name> {
                #item_stream::new(self.0)
            }

            /// The items as an iterator that waits for each page on the current thread, for programs with no
            /// async runtime.
            pub fn send_blocking(self) -> #blocking_items<#name> {
                #item_stream::new(self.0).blocking()
            }
        }

        impl #paginate_items for #name {
            type Items = #items_type;

            fn items(output: #output_path) -> #items_type {
                #take
            }
        }
    };
    Ok((method, wrapper))
}

/// The fields along a member path and what the last one holds.
struct Resolved {
    /// One per step from the root down.
    steps: Vec<Step>,
    /// The last member's field.
    field: String,
    target: ShapeId,
}

struct Step {
    field: String,
    boxed: bool,
    /// The step takes the last item of the list (`Shards[-1]`).
    last_item: bool,
}

impl Resolved {
    /// `Option<&T>` of the value at the end of the path, borrowed from `output` (every member field is an
    /// `Option`, whatever the member's nullability).
    fn borrow(&self) -> TokenStream {
        let access = |step: &Step| {
            let field = ident(&step.field);
            let borrow = if step.boxed { quote!(as_deref) } else { quote!(as_ref) };
            let last = step.last_item.then(|| quote!(.and_then(|items| items.last())));
            (quote!(#field.#borrow()), last)
        };
        let mut steps = self.steps.iter();
        let Some(first) = steps.next() else {
            return quote!(::std::option::Option::None);
        };
        let (head, head_last) = access(first);
        let tail = steps.map(|step| {
            let (member, last) = access(step);
            quote!(.and_then(|value| value.#member) #last)
        });
        quote!(output.#head #head_last #(#tail)*)
    }

    /// The value at the end of the path taken out of `output` by value, or its default when a step is absent.
    fn take(&self) -> TokenStream {
        let mut steps = self.steps.iter().map(|step| ident(&step.field));
        let Some(first) = steps.next() else {
            return quote!(::std::default::Default::default());
        };
        // A boxed step moves out of its `Box` through the field access.
        let tail = steps.map(|field| quote!(.and_then(|value| value.#field)));
        quote!(output.#first #(#tail)* .unwrap_or_default())
    }
}

/// Follows `path` (wire names) from the structure `root`; an error names the operation (a generator bug).
fn members(service: &Service, op: &Operation, root: ShapeId, path: &[String]) -> Result<Resolved, String> {
    let mut shape = service.get_shape(root);
    let mut steps = Vec::new();
    let mut target = root;
    for name in path {
        let Some(ShapeKind::Structure(structure)) = shape.map(|s| &s.kind) else {
            return Err(bug(
                op,
                &format!("its paginator's path `{}` does not resolve", path.join(".")),
            ));
        };
        let (name, last_item) = Paginator::step(name);
        let member = structure.members.iter().find(|m| m.wire_name == name).ok_or_else(|| {
            bug(
                op,
                &format!("its paginator's path `{}` does not resolve", path.join(".")),
            )
        })?;
        steps.push(Step {
            field: member.rust_name.clone(),
            boxed: member.boxed,
            last_item,
        });
        target = member.target;
        shape = service.get_shape(target);
        if last_item {
            if let Some(ShapeKind::List { member, .. }) = shape.map(|s| &s.kind) {
                target = *member;
                shape = service.get_shape(target);
            }
        }
    }
    let field = steps
        .last()
        .map(|step| step.field.clone())
        .ok_or_else(|| bug(op, "its paginator has an empty path"))?;
    Ok(Resolved { steps, field, target })
}

fn bug(op: &Operation, what: &str) -> String {
    format!(
        "generator bug: the paginator of `{}` cannot be written: {what}",
        op.wire_name
    )
}
