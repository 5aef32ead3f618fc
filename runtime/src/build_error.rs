//! Errors from generated builders.

use std::fmt;

/// A builder was finished without a member the model marks `@required`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    field: &'static str,
    shape: &'static str,
}

impl BuildError {
    /// `field` (the Rust member name) was not set on the builder of `shape`.
    pub fn missing_field(field: &'static str, shape: &'static str) -> Self {
        Self { field, shape }
    }

    /// The member that was not set.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The shape whose builder failed.
    pub fn shape(&self) -> &'static str {
        self.shape
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is required to build `{}` but was not set",
            self.field, self.shape
        )
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_field_and_shape() {
        let e = BuildError::missing_field("cluster", "DescribeTaskSetsInput");
        assert_eq!(
            e.to_string(),
            "`cluster` is required to build `DescribeTaskSetsInput` but was not set"
        );
        assert_eq!((e.field(), e.shape()), ("cluster", "DescribeTaskSetsInput"));
        assert_eq!(e.clone(), e);
    }
}
