//! Front-ends: the model files as serde mirrors, with no logic beyond "does this JSON have the expected shape".
//!
//! Each front-end reports problems with the JSON path of the value that did not fit, and reads every shape
//! even after one failed, so all problems of a model are reported together.

pub mod botocore;

use crate::diagnostics::Diagnostics;
use std::io::Read;
use std::path::Path;

/// Reads a model file, unpacking it when it is gzip-compressed (botocore ships `service-2.json.gz`).
pub fn read_model_file(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // gzip magic number, rather than trusting the extension.
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("cannot decompress {}: {e}", path.display()))?;
        Ok(out)
    } else {
        Ok(bytes)
    }
}

/// Parses model bytes as JSON; a syntax error is reported at the root with its line and column.
pub fn parse_json(bytes: &[u8], diagnostics: &mut Diagnostics) -> Option<serde_json::Value> {
    match serde_json::from_slice(bytes) {
        Ok(value) => Some(value),
        Err(e) => {
            diagnostics.error("", format!("the model is not valid JSON: {e}"));
            None
        }
    }
}
