//! One module per user-facing command: its help text, its arguments and its
//! `run`. Options shared by several commands are here, with the one place
//! where flags and `kompass.toml` are merged into [`Settings`].

pub mod link;
pub mod run;
pub mod synth;
pub mod validate;

use crate::run::path_value::PathValue;
use std::path::PathBuf;

use crate::analysis::averages::Basis;
use crate::error::{Error, Result};
use crate::ingest::ReadOptions;
use crate::io::dialect::{Decimal, Delimiter, Encoding, OutEncoding, OutputDialect};
use crate::linking::{
    LinkOptions, allowed_replicates, bootstrap_replicates, link_seed, methods::MethodChoice,
};
use crate::render::charts::{ChartSet, Lang};
use crate::render::report::ReportSet;
use crate::run::config::Config;
use crate::run::key::Key;
use crate::run::origins::Origins;
use crate::run::pipeline::{Control, Settings};

/// Options shared by the commands that read exports.
#[derive(clap::Args, Debug, Clone)]
pub struct DataArgs {
    /// Export files or folders to read (a folder: every *.csv, *.tsv and
    /// *.txt file directly inside it, in sorted order; a workbook there is
    /// skipped with a warning). Default: `inputs` in the config file.
    #[arg(short, long = "input", value_name = "PATH", num_args = 1.., value_parser = PathValue)]
    pub input: Vec<PathBuf>,

    /// Export files or folders to read, named without `--input` (`a.csv
    /// b.csv`); not both.
    #[arg(value_name = "PATH", value_parser = PathValue, conflicts_with = "input")]
    pub paths: Vec<PathBuf>,

    /// Output folder [default: notebooks-out].
    #[arg(short, long, value_name = "DIR", value_parser = PathValue)]
    pub out: Option<PathBuf>,

    /// Config file [default: ./kompass.toml if present]. Flags override it.
    #[arg(long, value_name = "FILE", value_parser = PathValue)]
    pub config: Option<PathBuf>,

    /// Municipality register: a CSV file or a folder of CSV files
    /// (default: the shipped data/reference).
    #[arg(long, value_name = "PATH", value_parser = PathValue)]
    pub register: Option<PathBuf>,

    /// Folder of instrument definitions, one TOML file per scale version
    /// (default: the shipped data/instrument).
    #[arg(long, value_name = "DIR", value_parser = PathValue)]
    pub instruments: Option<PathBuf>,

    /// Field separator of the inputs [default: auto].
    #[arg(long, value_enum, ignore_case = true)]
    pub delimiter: Option<Delimiter>,

    /// Decimal mark of the inputs [default: auto].
    #[arg(long, value_enum, ignore_case = true)]
    pub decimal: Option<Decimal>,

    /// Text encoding of the inputs [default: auto].
    #[arg(long, value_enum, ignore_case = true)]
    pub encoding: Option<Encoding>,

    /// Country of the rows of an export without a country column: a
    /// country of the register, by its code or name (NO, Norge)
    /// [default: SE].
    #[arg(long, value_name = "COUNTRY")]
    pub country: Option<String>,

    /// Exit with code 3 when the data has any error or warning.
    #[arg(long, overrides_with = "no_strict")]
    pub strict: bool,

    /// Not --strict, even where the config file says `strict = true`.
    #[arg(long, overrides_with = "strict")]
    pub no_strict: bool,

    /// Write CSV outputs for Swedish Excel: ';' separators, decimal comma,
    /// UTF-8 with BOM (no BOM with --out-encoding windows-1252).
    #[arg(long, overrides_with = "no_excel")]
    pub excel: bool,

    /// Not --excel, even where the config file says `excel = true`.
    #[arg(long, overrides_with = "excel")]
    pub no_excel: bool,

    /// Encoding of the CSV outputs: utf-8 or windows-1252 (a character
    /// Windows-1252 lacks is written '?', with a warning) [default: utf-8].
    #[arg(long, value_enum, ignore_case = true, value_name = "ENCODING")]
    pub out_encoding: Option<OutEncoding>,

    /// Format of the row-level tables the command writes (evaluations;
    /// with `link` linked_scores; with `run` also trends, benchmarks): csv,
    /// or parquet (zstd) [default: csv]. Summaries are always CSV.
    #[arg(long, value_enum, ignore_case = true)]
    pub format: Option<crate::io::Format>,

    /// Run even when inputs, configuration and version are unchanged.
    #[arg(long)]
    pub force: bool,

    /// Wait for another run on the same output folder instead of exiting 4
    /// (not for `synth` generating data into it: exit 4 at once).
    #[arg(long)]
    pub wait: bool,

    /// Print nothing but errors and warnings about your files (`kept:`: a
    /// file of yours set aside or left where it is; characters the output
    /// encoding lacks). Not with --verbose.
    #[arg(short, long)]
    pub quiet: bool,

    /// Also announce each stage on stderr as it begins and print the time
    /// of each stage; with `run`, list every chart and report page written.
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
}

/// Options of the link stage.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LinkArgs {
    /// Linking method [default: auto = linear with pairs of 5+
    /// municipalities, mean with pairs of 1-4, else none].
    #[arg(long, value_enum, ignore_case = true)]
    pub link_method: Option<MethodChoice>,

    /// Bootstrap replicates for the standard errors: 0 (none) or 2 to 10000
    /// [default: 1000]; a linear link of 5-8 municipalities takes the
    /// jackknife instead, a mean link of 2-4 the analytic SE (any N but 0).
    /// Below 50, where a link's SEs are the bootstrap's, a warning: such an
    /// SE is itself far off.
    #[arg(long, value_name = "N", value_parser = bootstrap_replicates, allow_negative_numbers = true)]
    pub bootstrap: Option<u32>,

    /// Seed of the bootstrap, 0 to 9223372036854775807 (what
    /// `kompass.toml` can hold) [default: 2010].
    #[arg(long, value_name = "S", value_parser = link_seed, allow_negative_numbers = true)]
    pub link_seed: Option<u64>,

    /// Scale to link the others to: an instrument version's id or alias
    /// (old, new, 2015, 2020 as shipped) [default: new].
    #[arg(long, value_name = "SCALE")]
    pub link_to: Option<String>,
}

/// Options of the analysis stage.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct AnalysisArgs {
    /// Which evaluations the averages count: each municipality's latest on
    /// the scale, or all [default: latest].
    #[arg(long, value_enum, ignore_case = true)]
    pub basis: Option<Basis>,

    /// Published average profiles to check and compare with ours
    /// (columns: source, published_year, country, scale, basis, item, mean, n).
    #[arg(long, value_name = "FILE", value_parser = PathValue)]
    pub published: Option<PathBuf>,

    /// Charts to draw: all, summary (no per-municipality charts) or none
    /// [default: all].
    #[arg(long, value_enum, ignore_case = true)]
    pub charts: Option<ChartSet>,

    /// Report pages to write: all, summary (the index and a page per
    /// kommungrupp, no page per municipality) or none [default: all].
    #[arg(long, value_enum, ignore_case = true)]
    pub report: Option<ReportSet>,

    /// Language of chart and report text [default: sv].
    #[arg(long, value_enum, ignore_case = true)]
    pub lang: Option<Lang>,
}

/// Merges flags over the config file over the defaults.
pub fn settings(data: &DataArgs, link: &LinkArgs, analysis: &AnalysisArgs) -> Result<Settings> {
    let cfg = Config::load(data.config.as_deref())?;
    let f = &cfg.file;
    let mut origins = cfg.origins();
    origins.shadow(Key::LinkTo, link.link_to.is_some(), f.link_to.as_ref());
    origins.shadow(Key::Country, data.country.is_some(), f.country.as_ref());
    origins.shadow(Key::Register, data.register.is_some(), f.register.as_ref());
    origins.shadow(
        Key::Instruments,
        data.instruments.is_some(),
        f.instruments.as_ref(),
    );
    origins.shadow(
        Key::Published,
        analysis.published.is_some(),
        f.published.as_ref(),
    );
    // `--input a.csv` or `a.csv` alone: never both (clap refuses that).
    let named = if data.input.is_empty() {
        &data.paths
    } else {
        &data.input
    };
    let flagged = (!named.is_empty()).then(|| named.clone());
    let inputs = (origins.pick(Key::Inputs, flagged, f.inputs.clone())).unwrap_or_default();
    let settings = Settings {
        inputs,
        out: origins.pick_or(
            Key::Out,
            data.out.clone(),
            f.out.clone(),
            PathBuf::from("notebooks-out"),
        ),
        register: origins.pick(Key::Register, data.register.clone(), f.register.clone()),
        instruments: origins.pick(
            Key::Instruments,
            data.instruments.clone(),
            f.instruments.clone(),
        ),
        read: read_options(data, &cfg, &mut origins)?,
        output: output_dialect(data, &cfg)?,
        strict: origins
            .pick(Key::Strict, flag(data.strict, data.no_strict), f.strict)
            .unwrap_or(false),
        link: link_options(link, &cfg, &mut origins)?,
        basis: cfg.option(Key::Basis, analysis.basis, &f.basis)?,
        published: origins.pick(
            Key::Published,
            analysis.published.clone(),
            f.published.clone(),
        ),
        charts: cfg.option(Key::Charts, analysis.charts, &f.charts)?,
        report: cfg.option(Key::Report, analysis.report, &f.report)?,
        lang: cfg.option(Key::Lang, analysis.lang, &f.lang)?,
        control: Control {
            force: data.force,
            wait: data.wait,
            quiet: data.quiet,
            verbose: data.verbose,
        },
        origins,
    };
    // After the file's other values are checked: a missing input does not
    // hide a broken `basis`.
    if settings.inputs.is_empty() {
        // The config file read, if one was: `inputs = []` there.
        let file = (cfg.path.as_ref()).map_or("kompass.toml".into(), |p| crate::io::named(p));
        return Err(Error::Usage(match f.inputs {
            Some(_) => format!(
                "no input: `inputs` in {file} is an empty list; name a file or folder there or \
                 after the command (PATH, or --input PATH)"
            ),
            None => format!(
                "no input: name an export file or folder after the command (PATH, or --input \
                 PATH), or set `inputs` in {file}"
            ),
        }));
    }
    Ok(settings)
}

/// How the exports are read: the flags over the config file over the
/// defaults; where `country` came from is noted in `origins` (it is
/// checked against the register once that is read).
fn read_options(data: &DataArgs, cfg: &Config, origins: &mut Origins) -> Result<ReadOptions> {
    let f = &cfg.file;
    Ok(ReadOptions {
        delimiter: cfg.option(Key::Delimiter, data.delimiter, &f.delimiter)?,
        decimal: cfg.option(Key::Decimal, data.decimal, &f.decimal)?,
        encoding: cfg.option(Key::Encoding, data.encoding, &f.encoding)?,
        country: origins.pick_or(
            Key::Country,
            data.country.clone(),
            f.country.clone(),
            ReadOptions::default().country,
        ),
    })
}

/// How the outputs are written: the flags over the config file over the
/// defaults.
fn output_dialect(data: &DataArgs, cfg: &Config) -> Result<OutputDialect> {
    let f = &cfg.file;
    Ok(OutputDialect {
        excel: switch(data.excel, data.no_excel, f.excel),
        encoding: cfg.option(Key::OutEncoding, data.out_encoding, &f.out_encoding)?,
        rows: cfg.option(Key::Format, data.format, &f.format)?,
    })
}

/// How the scales are linked: the flags over the config file over the
/// defaults; where `link_to` came from is noted in `origins`.
fn link_options(link: &LinkArgs, cfg: &Config, origins: &mut Origins) -> Result<LinkOptions> {
    let (f, defaults) = (&cfg.file, LinkOptions::default());
    Ok(LinkOptions {
        method: cfg.option(Key::LinkMethod, link.link_method, &f.link_method)?,
        bootstrap: origins.pick_or(
            Key::Bootstrap,
            link.bootstrap,
            cfg.checked(
                Key::Bootstrap,
                (f.bootstrap, link.bootstrap.is_some()),
                allowed_replicates,
            )?,
            defaults.bootstrap,
        ),
        seed: link.link_seed.or(f.link_seed).unwrap_or(defaults.seed),
        to: origins.pick_or(
            Key::LinkTo,
            link.link_to.clone(),
            f.link_to.clone(),
            defaults.to,
        ),
    })
}

/// An on/off option: `--x` or `--no-x` (the last given wins), else the
/// config file's value, else off.
fn switch(on: bool, off: bool, file: Option<bool>) -> bool {
    flag(on, off).or(file).unwrap_or(false)
}

/// A switch's flags (`--strict`, `--no-strict`): `Some` when either was
/// given (clap keeps only the last given of the two).
fn flag(on: bool, off: bool) -> Option<bool> {
    (on || off).then_some(!off)
}

#[cfg(test)]
mod tests {
    use crate::run::config::ConfigFile;

    /// The flags of one invocation, which have no config key.
    const INVOCATION: [&str; 7] = [
        "config",
        "force",
        "wait",
        "quiet",
        "verbose",
        "no-strict",
        "no-excel",
    ];

    /// A value other than the default for every key of the config file.
    const NOT_DEFAULT: [(&str, &str); 21] = [
        ("inputs", r#"["a.csv", "b.csv"]"#),
        ("out", r#""elsewhere""#),
        ("register", r#""reg.csv""#),
        ("instruments", r#""inst""#),
        ("published", r#""pub.csv""#),
        ("basis", r#""all""#),
        ("link_method", r#""linear""#),
        ("bootstrap", "17"),
        ("link_seed", "7"),
        ("link_to", r#""old""#),
        ("strict", "true"),
        ("excel", "true"),
        ("out_encoding", r#""windows-1252""#),
        ("format", r#""parquet""#),
        ("delimiter", r#""semicolon""#),
        ("decimal", r#""comma""#),
        ("encoding", r#""windows-1252""#),
        ("country", r#""NO""#),
        ("charts", r#""none""#),
        ("report", r#""none""#),
        ("lang", r#""en""#),
    ];

    /// The effective configuration of `kompass run --config <text>`.
    fn effective(dir: &std::path::Path, name: &str, text: &str) -> serde_json::Value {
        #[derive(clap::Parser)]
        struct Run {
            #[command(flatten)]
            args: super::run::Args,
        }
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write the config");
        let run = <Run as clap::Parser>::try_parse_from([
            "run".as_ref(),
            "--config".as_ref(),
            path.as_os_str(),
        ])
        .expect("the flags");
        let a = &run.args;
        let settings = super::settings(&a.data, &a.link, &a.analysis).expect("settings");
        serde_json::to_value(settings.to_config()).expect("JSON")
    }

    /// `settings` reads every key of the config file: set to a value other
    /// than its default, each key changes that key of the effective
    /// configuration, and only that key.
    #[test]
    fn every_config_key_reaches_the_settings() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let keys = match serde_json::to_value(ConfigFile::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect::<Vec<_>>(),
            other => panic!("ConfigFile is a table of keys: {other:?}"),
        };
        let mut listed: Vec<String> = NOT_DEFAULT.iter().map(|k| k.0.to_string()).collect();
        listed.sort();
        assert_eq!(listed, keys, "a value for every key");
        let base = effective(dir.path(), "base.toml", "inputs = [\"x.csv\"]\n");
        for (key, value) in NOT_DEFAULT {
            let text = match key {
                "inputs" => format!("inputs = {value}\n"),
                _ => format!("inputs = [\"x.csv\"]\n{key} = {value}\n"),
            };
            let got = effective(dir.path(), &format!("{key}.toml"), &text);
            for k in &keys {
                match k == key {
                    true => assert_ne!(got[k], base[k], "settings ignores the key {key}"),
                    false => assert_eq!(got[k], base[k], "{key} = {value} changed {k}"),
                }
            }
        }
    }

    /// The options of `run` are declared in three places (the clap
    /// structs, `ConfigFile`, the README's list of keys) and merged in
    /// `settings` (which reads each key: the test above): each key has its
    /// flag, each flag has its key or a place among the per-invocation
    /// flags, and the README lists exactly the keys.
    #[test]
    fn every_option_has_its_flag_its_key_and_its_line_in_the_readme() {
        let keys: Vec<String> = match serde_json::to_value(ConfigFile::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            other => panic!("ConfigFile is a table of keys: {other:?}"),
        };
        let run = <super::run::Args as clap::Args>::augment_args(clap::Command::new("run"));
        let flags: Vec<String> = run
            .get_arguments()
            .filter_map(|a| a.get_long().map(str::to_string))
            .collect();
        let flag_of = |key: &str| match key {
            "inputs" => "input".to_string(),
            k => k.replace('_', "-"),
        };
        for key in &keys {
            assert!(flags.contains(&flag_of(key)), "key {key} has no flag");
        }
        for flag in &flags {
            let keyed = keys.iter().any(|k| flag_of(k) == *flag);
            assert!(
                keyed || INVOCATION.contains(&flag.as_str()),
                "--{flag} has no config key and is not a per-invocation flag"
            );
        }
        let readme = include_str!("../../README.md");
        for flag in &flags {
            let named = readme.match_indices(&format!("--{flag}")).any(|(at, m)| {
                let next = readme[at + m.len()..].chars().next();
                !next.is_some_and(|c| c.is_alphanumeric() || c == '-')
            });
            assert!(named, "the README never names --{flag}");
        }
        let listed = readme
            .split("Every option of `run` has a key (")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .expect("the README lists the config keys");
        let mut in_readme: Vec<String> = listed
            .split(',')
            .map(|k| k.trim().trim_matches('`').to_string())
            .collect();
        in_readme.sort();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(in_readme, sorted, "the README's list of config keys");
    }
}
