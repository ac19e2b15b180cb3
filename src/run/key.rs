//! The keys of `kompass.toml`, each also the name of a flag (`link_to` is
//! `--link-to`): named once here, so that where an option came from is
//! looked up by a key the compiler knows, never by a string that a typo
//! would make "not from the file" in silence.

/// A key of the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Inputs,
    Out,
    Register,
    Instruments,
    Published,
    Basis,
    LinkMethod,
    Bootstrap,
    LinkSeed,
    LinkTo,
    Strict,
    Excel,
    OutEncoding,
    Format,
    Delimiter,
    Decimal,
    Encoding,
    Country,
    Charts,
    Report,
    Lang,
}

impl Key {
    /// Every key, in the order of the file's fields.
    pub const ALL: [Key; 21] = [
        Key::Inputs,
        Key::Out,
        Key::Register,
        Key::Instruments,
        Key::Published,
        Key::Basis,
        Key::LinkMethod,
        Key::Bootstrap,
        Key::LinkSeed,
        Key::LinkTo,
        Key::Strict,
        Key::Excel,
        Key::OutEncoding,
        Key::Format,
        Key::Delimiter,
        Key::Decimal,
        Key::Encoding,
        Key::Country,
        Key::Charts,
        Key::Report,
        Key::Lang,
    ];

    /// Its name in the file (`link_to`).
    pub fn name(self) -> &'static str {
        match self {
            Key::Inputs => "inputs",
            Key::Out => "out",
            Key::Register => "register",
            Key::Instruments => "instruments",
            Key::Published => "published",
            Key::Basis => "basis",
            Key::LinkMethod => "link_method",
            Key::Bootstrap => "bootstrap",
            Key::LinkSeed => "link_seed",
            Key::LinkTo => "link_to",
            Key::Strict => "strict",
            Key::Excel => "excel",
            Key::OutEncoding => "out_encoding",
            Key::Format => "format",
            Key::Delimiter => "delimiter",
            Key::Decimal => "decimal",
            Key::Encoding => "encoding",
            Key::Country => "country",
            Key::Charts => "charts",
            Key::Report => "report",
            Key::Lang => "lang",
        }
    }

    /// Its flag (`--link-to`; `--input` for `inputs`).
    pub fn flag(self) -> String {
        match self {
            Key::Inputs => "--input".to_string(),
            k => format!("--{}", k.name().replace('_', "-")),
        }
    }

    /// Whether the file writes its value as a number (`bootstrap = 50`),
    /// not a string.
    pub fn is_number(self) -> bool {
        matches!(self, Key::Bootstrap | Key::LinkSeed)
    }

    /// The key the file calls `name`, if it has one.
    pub fn named(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What it holds, for a value of the wrong type.
    pub fn expected(self) -> &'static str {
        match self {
            Key::Inputs => "a list of files or folders in brackets, e.g. inputs = [\"exports/\"]",
            Key::Out | Key::Register | Key::Instruments | Key::Published => "a path in quotes",
            Key::Bootstrap => "a whole number of replicates: 0 (none) or 2 to 10000",
            Key::LinkSeed => "a whole number from 0 to 9223372036854775807",
            Key::Strict | Key::Excel => "true or false",
            Key::Country => "a country's code or name in quotes, e.g. country = \"NO\"",
            Key::Basis
            | Key::LinkMethod
            | Key::LinkTo
            | Key::OutEncoding
            | Key::Format
            | Key::Delimiter
            | Key::Decimal
            | Key::Encoding
            | Key::Charts
            | Key::Report
            | Key::Lang => "a word in quotes",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Key;

    /// The keys are the file's fields (as serialised, every field named),
    /// each found by its name.
    #[test]
    fn the_keys_are_the_file_s_fields() {
        let file = crate::run::config::ConfigFile::default();
        let mut fields: Vec<String> = match serde_json::to_value(file) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            other => panic!("ConfigFile is a table of keys: {other:?}"),
        };
        let mut names: Vec<String> = Key::ALL.iter().map(|k| k.name().to_string()).collect();
        fields.sort();
        names.sort();
        assert_eq!(fields, names);
        for k in Key::ALL {
            assert_eq!(Key::named(k.name()), Some(k));
        }
        assert_eq!(Key::named("link-to"), None);
        assert_eq!(Key::LinkTo.flag(), "--link-to");
        assert_eq!(Key::Inputs.flag(), "--input");
    }
}
