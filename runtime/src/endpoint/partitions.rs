//! botocore's partition table (`partitions.json`) and the `aws.partition` lookup.
//!
//! A region is matched against every partition's explicit `regions` first, then against each partition's
//! `regionRegex` in table order, and otherwise falls back to the partition whose id is `aws` (so a region this
//! table does not know yet still resolves, as in the AWS SDKs). The result is the partition's `outputs`, with the
//! fields an explicit region entry overrides (its `description` excepted). All results are built once, here.

use std::collections::HashMap;
use std::sync::Arc;

use regex_lite::Regex;
use serde_json::Value as Json;

use super::rules::{kind, pointer};
use super::value::Value;
use super::RuleSetError;

/// botocore's partition table, ready for `aws.partition` lookups.
#[derive(Clone, Debug)]
pub struct Partitions {
    /// In table order: (id, region regex, outputs).
    partitions: Vec<Partition>,
    /// Every explicitly listed region with its partition's outputs and the region's overrides; the first
    /// partition that lists a region wins.
    explicit: HashMap<String, Value>,
}

#[derive(Clone, Debug)]
struct Partition {
    id: String,
    region_regex: Regex,
    outputs: Value,
}

/// Output fields every partition must give, and whether each is a string (else a boolean).
const REQUIRED_OUTPUTS: [(&str, bool); 5] = [
    ("name", true),
    ("dnsSuffix", true),
    ("dualStackDnsSuffix", true),
    ("supportsFIPS", false),
    ("supportsDualStack", false),
];

impl Partitions {
    /// Parses a partition table (`{"partitions": [{"id", "regionRegex", "regions", "outputs"}, ...]}`).
    pub fn from_json(json: &str) -> Result<Partitions, RuleSetError> {
        let document: Json =
            serde_json::from_str(json).map_err(|e| RuleSetError::new("", format!("not valid JSON: {e}")))?;
        let root = document.as_object().ok_or_else(|| {
            RuleSetError::new(
                "",
                format!("a partition table must be an object, found {}", kind(&document)),
            )
        })?;
        let list = root
            .get("partitions")
            .ok_or_else(|| RuleSetError::new("/partitions", "missing required property `partitions`"))?;
        let list = list.as_array().ok_or_else(|| {
            RuleSetError::new(
                "/partitions",
                format!("`partitions` must be an array, found {}", kind(list)),
            )
        })?;
        let mut partitions = Vec::with_capacity(list.len());
        let mut explicit = HashMap::new();
        for (i, json) in list.iter().enumerate() {
            let path = pointer("/partitions", &i.to_string());
            let (partition, regions) = parse_partition(json, &path)?;
            for (region, value) in regions {
                explicit.entry(region).or_insert(value);
            }
            partitions.push(partition);
        }
        Ok(Partitions { partitions, explicit })
    }

    /// The partition `region` belongs to (see the module documentation); `None` only when nothing matches and
    /// the table has no `aws` partition.
    pub(crate) fn resolve(&self, region: &str) -> Option<&Value> {
        if let Some(value) = self.explicit.get(region) {
            return Some(value);
        }
        self.partitions
            .iter()
            .find(|p| p.region_regex.is_match(region))
            .or_else(|| self.partitions.iter().find(|p| p.id == "aws"))
            .map(|p| &p.outputs)
    }

    /// The ids of the partitions, in table order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.partitions.iter().map(|p| p.id.as_str())
    }
}

fn parse_partition(json: &Json, path: &str) -> Result<(Partition, Vec<(String, Value)>), RuleSetError> {
    let object = json
        .as_object()
        .ok_or_else(|| RuleSetError::new(path, format!("a partition must be an object, found {}", kind(json))))?;
    let string = |key: &str| -> Result<&str, RuleSetError> {
        let value = object
            .get(key)
            .ok_or_else(|| RuleSetError::new(pointer(path, key), format!("missing required property `{key}`")))?;
        value.as_str().ok_or_else(|| {
            RuleSetError::new(
                pointer(path, key),
                format!("`{key}` must be a string, found {}", kind(value)),
            )
        })
    };
    let id = string("id")?.to_owned();
    let regex_text = string("regionRegex")?;
    let region_regex = Regex::new(regex_text).map_err(|e| {
        RuleSetError::new(
            pointer(path, "regionRegex"),
            format!("not a valid regular expression: {e}"),
        )
    })?;

    let outputs_path = pointer(path, "outputs");
    let outputs_json = object
        .get("outputs")
        .ok_or_else(|| RuleSetError::new(&outputs_path, "missing required property `outputs`"))?;
    let Value::Object(outputs) = Value::from_json(outputs_json, &outputs_path)? else {
        return Err(RuleSetError::new(
            outputs_path,
            format!("`outputs` must be an object, found {}", kind(outputs_json)),
        ));
    };
    for (key, is_string) in REQUIRED_OUTPUTS {
        let ok = match outputs.get(key) {
            Some(Value::String(_)) => is_string,
            Some(Value::Bool(_)) => !is_string,
            _ => false,
        };
        if !ok {
            let expected = if is_string { "a string" } else { "a boolean" };
            return Err(RuleSetError::new(
                &outputs_path,
                format!("`{key}` is required and must be {expected}"),
            ));
        }
    }

    let mut regions = Vec::new();
    if let Some(json) = object.get("regions") {
        let regions_path = pointer(path, "regions");
        let entries = json.as_object().ok_or_else(|| {
            RuleSetError::new(
                &regions_path,
                format!("`regions` must be an object, found {}", kind(json)),
            )
        })?;
        for (region, entry) in entries {
            let entry_path = pointer(&regions_path, region);
            let fields = entry.as_object().ok_or_else(|| {
                RuleSetError::new(
                    &entry_path,
                    format!("a region must be an object, found {}", kind(entry)),
                )
            })?;
            let overrides = fields
                .iter()
                .filter(|(key, _)| key.as_str() != "description")
                .map(|(key, value)| Ok((key.clone(), Value::from_json(value, &pointer(&entry_path, key))?)))
                .collect::<Result<Vec<_>, RuleSetError>>()?;
            let value = if overrides.is_empty() {
                Value::Object(Arc::clone(&outputs))
            } else {
                let mut merged = (*outputs).clone();
                merged.extend(overrides);
                Value::Object(Arc::new(merged))
            };
            regions.push((region.clone(), value));
        }
    }
    Ok((
        Partition {
            id,
            region_regex,
            outputs: Value::Object(outputs),
        },
        regions,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"{
        "version": "1.1",
        "partitions": [
            {
                "id": "aws",
                "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
                "regions": {
                    "us-east-1": {"description": "US East"},
                    "aws-global": {"description": "global"},
                    "eu-special-1": {"description": "with overrides", "supportsFIPS": false, "dnsSuffix": "special.example"}
                },
                "outputs": {
                    "name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                    "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"
                }
            },
            {
                "id": "aws-us-gov",
                "regionRegex": "^us\\-gov\\-\\w+\\-\\d+$",
                "regions": {"us-gov-west-1": {}, "us-east-1": {"description": "listed twice: the first partition wins"},
                            "eu-listed-1": {"description": "matched by the `aws` regex too"}},
                "outputs": {
                    "name": "aws-us-gov", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                    "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-gov-west-1"
                }
            },
            {
                "id": "aws-cn",
                "regionRegex": "^cn\\-\\w+\\-\\d+$",
                "regions": {},
                "outputs": {
                    "name": "aws-cn", "dnsSuffix": "amazonaws.com.cn", "dualStackDnsSuffix": "api.amazonwebservices.com.cn",
                    "supportsFIPS": true, "supportsDualStack": false
                }
            }
        ]
    }"#;

    fn field(partitions: &Partitions, region: &str, key: &str) -> Option<Value> {
        match partitions.resolve(region)? {
            Value::Object(fields) => fields.get(key).cloned(),
            _ => None,
        }
    }

    fn name(partitions: &Partitions, region: &str) -> String {
        match field(partitions, region, "name") {
            Some(Value::String(name)) => name,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn explicit_regions_then_regexes_then_aws() {
        let partitions = Partitions::from_json(TABLE).unwrap();
        assert_eq!(partitions.ids().collect::<Vec<_>>(), ["aws", "aws-us-gov", "aws-cn"]);
        // Explicit: the regex of `aws` does not match `aws-global`, the explicit entry does.
        assert_eq!(name(&partitions, "aws-global"), "aws");
        // Listed by two partitions: the first one in the table.
        assert_eq!(name(&partitions, "us-east-1"), "aws");
        // Explicit entry of a later partition.
        assert_eq!(name(&partitions, "us-gov-west-1"), "aws-us-gov");
        // An explicit entry beats an earlier partition's regex that matches too.
        assert!(Regex::new("^(us|eu)\\-\\w+\\-\\d+$").unwrap().is_match("eu-listed-1"));
        assert_eq!(name(&partitions, "eu-listed-1"), "aws-us-gov");
        // Regexes, in table order.
        assert_eq!(name(&partitions, "us-gov-east-9"), "aws-us-gov");
        assert_eq!(name(&partitions, "cn-north-1"), "aws-cn");
        assert_eq!(name(&partitions, "eu-west-7"), "aws");
        // Unknown: the `aws` partition.
        assert_eq!(name(&partitions, "mars-east-1"), "aws");
        assert_eq!(name(&partitions, ""), "aws");
    }

    #[test]
    fn region_entries_override_outputs_but_not_with_their_description() {
        let partitions = Partitions::from_json(TABLE).unwrap();
        assert_eq!(
            field(&partitions, "eu-special-1", "supportsFIPS"),
            Some(Value::Bool(false))
        );
        assert_eq!(
            field(&partitions, "eu-special-1", "dnsSuffix"),
            Some(Value::String("special.example".into()))
        );
        assert_eq!(field(&partitions, "eu-special-1", "description"), None);
        assert_eq!(field(&partitions, "eu-west-1", "supportsFIPS"), Some(Value::Bool(true)));
        assert_eq!(
            field(&partitions, "us-gov-west-1", "implicitGlobalRegion"),
            Some(Value::String("us-gov-west-1".into()))
        );
        assert_eq!(field(&partitions, "cn-north-1", "implicitGlobalRegion"), None);
    }

    #[test]
    fn without_an_aws_partition_an_unknown_region_has_none() {
        let table = TABLE.replace("\"id\": \"aws\",", "\"id\": \"aws-other\",");
        let partitions = Partitions::from_json(&table).unwrap();
        assert!(partitions.resolve("mars-east-1").is_none());
        assert_eq!(name(&partitions, "cn-north-1"), "aws-cn");
    }

    #[test]
    fn malformed_tables_name_the_json_path() {
        let error = |json: &str| Partitions::from_json(json).unwrap_err().to_string();
        assert!(error("[").starts_with("(root): not valid JSON"));
        assert_eq!(error("{}"), "/partitions: missing required property `partitions`");
        assert_eq!(
            error(r#"{"partitions": {}}"#),
            "/partitions: `partitions` must be an array, found an object"
        );
        assert_eq!(
            error(r#"{"partitions": [{"id": "x", "regionRegex": "(", "outputs": {}}]}"#)
                .split(':')
                .next(),
            Some("/partitions/0/regionRegex")
        );
        assert_eq!(
            error(r#"{"partitions": [{"id": "x", "regionRegex": "x", "outputs": {"name": "x"}}]}"#),
            "/partitions/0/outputs: `dnsSuffix` is required and must be a string"
        );
        let bad_region = TABLE.replace(r#""us-gov-west-1": {}"#, r#""us-gov-west-1": 3"#);
        assert_eq!(
            error(&bad_region),
            "/partitions/1/regions/us-gov-west-1: a region must be an object, found a number"
        );
    }

    #[test]
    fn botocore_regexes_compile() {
        // The escapes botocore's table uses (`\-`, `\w`, `\d`) are accepted by the regex crate.
        let regex = Regex::new("^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$").unwrap();
        assert!(regex.is_match("ap-southeast-7"));
        assert!(!regex.is_match("us-gov-west-1"));
    }
}
