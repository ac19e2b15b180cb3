//! The README's account of `make run` is what kompass prints on the
//! shipped data: its summary block, line by line (but the `done in` time,
//! which is the machine's), and its command table lists every command.

use std::path::Path;

use crate::workdir::{Workdir, copy_dir, stdout};

/// The project's README.md.
fn readme() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("README.md")).expect("README.md")
}

/// The lines of `text` but blank ones and the `done in` line.
fn lines(text: &str) -> Vec<&str> {
    (text.lines())
        .filter(|l| !l.trim().is_empty() && !l.starts_with("done in "))
        .collect()
}

#[test]
fn the_readme_s_make_run_summary_is_what_kompass_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = readme();
    let (_, after) = (readme.split_once("On the shipped data it prints:"))
        .expect("the README's make run section");
    // The text between the code block's fences.
    let block = after.split("```").nth(1).expect("a code block after it");
    let wd = Workdir::new();
    copy_dir(&root.join("data"), &wd.file("data"));
    let args = [
        "run",
        "--config",
        "data/kompass.example.toml",
        "--out",
        "notebooks-out",
    ];
    let said = stdout(&wd.run_expect(&args, 0));
    assert_eq!(lines(&said), lines(block));
    // The block's counts are kompass's own (a README-sync check); these
    // are counted here: each input's rows (its lines but the header and
    // blank ones) and each table's rows as the file holds them.
    let (mut inputs, mut tables) = (0, 0);
    for line in block.lines() {
        let line = line.trim();
        if let Some((path, rest)) = line.split_once(": ").filter(|(p, _)| p.ends_with(".csv")) {
            let bytes = wd.read(path);
            let data = (bytes.split(|&b| b == b'\n'))
                .filter(|l| !l.iter().all(|b| b" \r;,".contains(b)))
                .count()
                - 1;
            inputs += 1;
            assert!(
                rest.contains(&format!("rows read {data} = ")),
                "{path}: {data} rows"
            );
        }
        if let Some(rest) = line.strip_prefix("wrote notebooks-out/") {
            let Some((name, n)) = rest.split_once(".csv (") else {
                continue;
            };
            let n: usize = n
                .trim_end_matches(" rows)")
                .trim_end_matches(" row)")
                .parse()
                .unwrap();
            let rows = wd.table(&format!("notebooks-out/{name}.csv")).rows.len();
            assert_eq!(rows, n, "{name}.csv");
            tables += 1;
        }
    }
    assert_eq!((inputs, tables), (5, 15));
    let done = said
        .lines()
        .find(|l| l.starts_with("done in "))
        .unwrap_or("");
    assert!(
        done.ends_with(" s; manifest notebooks-out/manifest.json"),
        "{said}"
    );
}

/// Every command `kompass help` lists has its row in the README's
/// command table (a row that begins with `` `kompass <name>``).
#[test]
fn the_readme_s_command_table_lists_every_command() {
    let readme = readme();
    let (_, table) = readme
        .split_once("## Commands")
        .expect("a Commands section");
    let table = table.split("\n\n").nth(1).expect("its table");
    let help = stdout(&Workdir::new().run_expect(&["help"], 0));
    let (_, commands) = help
        .split_once("Commands:\n")
        .expect("help lists the commands");
    let names: Vec<&str> = (commands.lines())
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        assert!(
            table.contains(&format!("| `kompass {name}")),
            "the README's command table has no row for `kompass {name}`"
        );
    }
}

/// Every long option of every command's `--help` (`--wait`, `--seed`) is
/// named in the README, whole (`--link` is not named by `--link-to`): a
/// README-sync check, so that a flag added without its documentation
/// fails.
#[test]
fn the_readme_names_every_option_of_every_command() {
    let readme = readme();
    let wd = Workdir::new();
    let mut checked = 0;
    for command in ["validate", "link", "run", "synth"] {
        let help = stdout(&wd.run_expect(&[command, "--help"], 0));
        let options = (help.lines())
            .map(str::trim_start)
            .filter_map(|l| {
                l.split_once("--")
                    .filter(|(before, _)| before.is_empty() || before.ends_with(", "))
            })
            .filter_map(|(_, rest)| rest.split([' ', '=', ',']).next())
            .filter(|name| !name.is_empty() && *name != "help" && *name != "version");
        for name in options {
            let flag = format!("--{name}");
            let named = (readme.match_indices(&flag)).any(|(at, _)| {
                let next = readme[at + flag.len()..].chars().next();
                !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            });
            assert!(
                named,
                "`kompass {command} --help` lists {flag}; the README does not name it"
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked} options");
}

/// The README's contents list names every section, in order, each with
/// the anchor GitHub gives its heading (lower case, spaces as `-`,
/// punctuation dropped).
#[test]
fn the_readme_s_contents_list_its_sections() {
    let readme = readme();
    let (_, after) = readme.split_once("Contents:\n\n").expect("a contents list");
    let listed: Vec<&str> = (after.lines())
        .take_while(|l| l.starts_with("- ["))
        .collect();
    let sections: Vec<String> = (readme.lines())
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| {
            let anchor: String = (h.to_lowercase().chars())
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
            format!("- [{h}](#{anchor})")
        })
        .collect();
    assert!(sections.len() >= 15, "{sections:?}");
    assert_eq!(listed, sections);
}
