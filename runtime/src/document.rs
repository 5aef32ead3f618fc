//! The `document` shape: untyped JSON carried as is.

/// Any JSON value. awsJson puts documents on the wire verbatim, so `serde_json::Value` is exact.
pub type Document = serde_json::Value;

#[cfg(test)]
mod tests {
    use super::Document;

    #[test]
    fn round_trips_any_json() {
        let text = r#"{"a":[1,2.5,"x",null,true,{"b":{}}],"c":-3}"#;
        let doc: Document = serde_json::from_str(text).unwrap();
        assert_eq!(doc["a"][1], 2.5);
        assert_eq!(doc["c"], -3);
        let again: Document = serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(again, doc);
    }
}
