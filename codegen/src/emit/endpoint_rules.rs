//! `src/endpoint_rules.rs`: the service's endpoint rule set and partition table as the runtime's
//! `EndpointRules`, which parses them once on first use and caches what they resolve to.

use super::paths;
use crate::ir::EndpointRules;
use proc_macro2::TokenStream;
use quote::quote;

/// The module's tokens, or an error if a text cannot be written as a Rust raw string (a generator bug: any
/// text can, with enough `#`s).
pub fn endpoint_rules_module(rules: &EndpointRules) -> Result<TokenStream, String> {
    let endpoint_rules = paths::endpoint_rules();
    let rule_set = raw_string(&rules.rule_set)?;
    let partitions = raw_string(&rules.partitions)?;
    Ok(quote! {
        //! The service's endpoint rule set and the partition table its `aws.partition` reads, from the model;
        //! `awsgen_runtime::endpoint` evaluates them for each distinct configuration.

        /// Parsed on first use; each distinct set of parameters is resolved once.
        pub(crate) static ENDPOINT_RULES: #endpoint_rules = #endpoint_rules::new(RULE_SET, PARTITIONS);

        const RULE_SET: &str = #rule_set;

        const PARTITIONS: &str = #partitions;
    })
}

/// `text` as a raw string literal with as few `#`s as it needs.
fn raw_string(text: &str) -> Result<TokenStream, String> {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .map_err(|e| format!("the endpoint rules cannot be written as a raw string: {e}"))
}
