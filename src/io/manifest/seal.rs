//! A manifest's seal: its last field, `manifest_blake3`, the BLAKE3 of
//! the manifest without that field, so that one changed since kompass
//! wrote it is told from its own (and kept as the user's).

/// The key of a manifest's last field: the BLAKE3 (hex) of the manifest
/// without that field, so that one changed since kompass wrote it is told
/// from its own (and kept as the user's).
const SEAL: &str = "manifest_blake3";

/// `text`, a JSON object as `serde_json` pretty-prints it and a line end,
/// with [`SEAL`] added as its last field.
pub(super) fn sealed(text: String) -> String {
    let hash = blake3::hash(text.as_bytes()).to_hex();
    let body = text.strip_suffix("\n}\n").unwrap_or(&text);
    format!("{body},\n  \"{SEAL}\": \"{hash}\"\n}}\n")
}

/// Whether manifest `text` is not as kompass wrote it: its last field is
/// not [`SEAL`] with the hash of the rest. One with no seal anywhere that
/// is JSON, as an earlier kompass wrote it, is taken as written.
pub(super) fn edited_text(text: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(text) else {
        return true;
    };
    let key = format!(",\n  \"{SEAL}\": \"");
    let Some(at) = text.rfind(&key) else {
        return text.contains(&format!("\"{SEAL}\""))
            || serde_json::from_str::<serde_json::Value>(text).is_err();
    };
    let Some(hash) = text[at + key.len()..].strip_suffix("\"\n}\n") else {
        return true;
    };
    let body = format!("{}\n}}\n", &text[..at]);
    blake3::hash(body.as_bytes()).to_hex().as_str() != hash
}

#[cfg(test)]
mod tests {
    use super::{edited_text, sealed};

    #[test]
    fn a_sealed_manifest_tells_any_edit() {
        let text = sealed("{\n  \"tool\": \"kompass\",\n  \"n\": 1\n}\n".to_string());
        assert!(!edited_text(text.as_bytes()));
        assert!(edited_text(text.replace("\"n\": 1", "\"n\": 2").as_bytes()));
        assert!(edited_text(text.replace("\n}\n", "\n}").as_bytes()));
        let (body, _) = text.rsplit_once(",\n  \"manifest_blake3\"").unwrap();
        // Unsealed, as an earlier kompass wrote it; the seal moved.
        assert!(!edited_text(format!("{body}\n}}\n").as_bytes()));
        assert!(edited_text(
            text.replace(",\n  \"manifest", ", \"manifest").as_bytes()
        ));
        assert!(edited_text(b"{\"manifest_blake3\": \"00\"}\n"));
        assert!(edited_text(b"\xff") && edited_text(b"{"));
    }
}
