//! The passes over a page's body before it is wrapped in its document:
//! the summary files a note names become links to them, and every table
//! gets a name and, where it may scroll sideways, a tab stop.

use std::fmt::Write as _;

/// The outputs a run with a report writes as CSV whatever `--format`
/// says: a note that names one links to it.
const SUMMARIES: [&str; 10] = [
    "averages.csv",
    "concordance.csv",
    "group_differences.csv",
    "inputs.csv",
    "linking.csv",
    "rejects.csv",
    "role_models.csv",
    "trend_summary.csv",
    "validation.csv",
    "year_totals.csv",
];

/// `body` with each summary output a note names ([`SUMMARIES`]) a link to
/// it (`../averages.csv`); a note with a link of its own, or naming no
/// file, is left as it is.
pub(super) fn outputs_linked(body: &str) -> String {
    const OPEN: &str = "<p class=\"note\">";
    let mut out = String::with_capacity(body.len() + 256);
    let mut rest = body;
    while let Some(i) = rest.find(OPEN) {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let end = from.find("</p>").map_or(from.len(), |e| e + 4);
        let text = &from[..end];
        match text.contains("<a ") || !text.contains(".csv") {
            true => out.push_str(text),
            false => out.push_str(
                &SUMMARIES
                    .iter()
                    .fold(text.to_string(), |t, name| linked_name(&t, name)),
            ),
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

/// `text` with every `name` standing as a word of its own (not part of a
/// longer file name) a link to `../name`.
fn linked_name(text: &str, name: &str) -> String {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "_-./".contains(c));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(name) {
        let (before, after) = (
            rest[..i].chars().next_back(),
            rest[i + name.len()..].chars().next(),
        );
        out.push_str(&rest[..i]);
        // A full stop after it ends the sentence.
        let after = after
            .filter(|&c| c != '.' || rest[i + name.len() + 1..].starts_with(char::is_alphanumeric));
        match part(before) || part(after) {
            true => out.push_str(name),
            false => {
                let _ = write!(out, "<a href=\"../{name}\">{name}</a>");
            }
        }
        rest = &rest[i + name.len()..];
    }
    out.push_str(rest);
    out
}

/// `body` with every table named by the heading above it
/// (`aria-labelledby`; the heading given an id `t1`, `t2`, … where it has
/// none) and a tab stop of its own (`tabindex="0"`), so that a keyboard
/// scrolls it where a narrow screen makes it scroll sideways (Chromium and
/// Firefox give a scrolling table one; Safari did not). An area table
/// names itself (its caption) and never scrolls, so it is left as it is.
pub(super) fn tables_named(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 1024);
    // Where in `out` the last heading's tag starts, and its id.
    let mut heading: Option<(usize, Option<String>)> = None;
    let mut ids = 0;
    let mut rest = body;
    while let Some(i) = next_tag(rest) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        if tag.starts_with("<script") {
            // A script's text is no markup.
            let end = rest
                .find("</script>")
                .map_or(rest.len(), |e| e + "</script>".len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if !tag.starts_with("<table") {
            heading = Some((out.len(), attribute(tag, "id").map(str::to_string)));
        } else if !tag.contains("class=\"area\"") {
            out.push_str("<table");
            if let Some((at, id)) = &mut heading {
                let id = id.get_or_insert_with(|| {
                    ids += 1;
                    let id = format!("t{ids}");
                    out.insert_str(*at + 3, &format!(" id=\"{id}\""));
                    id
                });
                let _ = write!(out, " aria-labelledby=\"{id}\"");
            }
            out.push_str(" tabindex=\"0\"");
            rest = &rest["<table".len()..];
            continue;
        }
        out.push_str(tag);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where the next heading (`<h1` to `<h3`), table or script opens in `s`.
fn next_tag(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find('<') {
        let at = from + i;
        let tag = &s[at..];
        let heading = tag.len() > 3
            && tag.as_bytes()[1] == b'h'
            && matches!(tag.as_bytes()[2], b'1'..=b'3')
            && matches!(tag.as_bytes()[3], b'>' | b' ');
        let table = tag.starts_with("<table>") || tag.starts_with("<table ");
        if heading || table || tag.starts_with("<script") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The value of attribute `name` in the opening tag `tag` (of a page or
/// an SVG chart).
pub(crate) fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let open = format!(" {name}=\"");
    let from = tag.find(&open)? + open.len();
    tag[from..].find('"').map(|e| &tag[from..from + e])
}
#[cfg(test)]
mod tests {
    use super::{outputs_linked, tables_named};

    #[test]
    fn a_note_links_the_summaries_it_names() {
        let body = "<p>averages.csv</p><p class=\"note\">Se averages.csv. Och \
                    my_averages.csv, averages.csv.bak, trends.csv (trend_summary.csv)</p>\
                    <p class=\"note\">Redan <a href=\"../rejects.csv\">rejects.csv</a></p>";
        assert_eq!(
            outputs_linked(body),
            "<p>averages.csv</p><p class=\"note\">Se <a href=\"../averages.csv\">\
             averages.csv</a>. Och my_averages.csv, averages.csv.bak, trends.csv \
             (<a href=\"../trend_summary.csv\">trend_summary.csv</a>)</p>\
             <p class=\"note\">Redan <a href=\"../rejects.csv\">rejects.csv</a></p>"
        );
    }

    /// A table is named by the heading above it, which gets an id where it
    /// has none; an area table (which names itself) is left as it is.
    #[test]
    fn a_table_is_named_by_its_heading() {
        let body = "<table><tr></tr></table><script>if(a<table){}</script><h2 id=\"profil\">P</h2>\n<p>x</p>\n<table>\n<tr></tr></table>\
                    <h3>A <b>b</b></h3><table id=\"kommunlista\"><tr></tr></table>\
                    <table><tr></tr></table><h3>C</h3><table class=\"area\"><caption>1</caption></table>\
                    <h3>D</h3><p>&lt;table&gt; <th>h3</th></p><table><tr></tr></table>";
        assert_eq!(
            tables_named(body),
            "<table tabindex=\"0\"><tr></tr></table><script>if(a<table){}</script><h2 id=\"profil\">P</h2>\n<p>x</p>\n<table aria-labelledby=\"profil\" tabindex=\"0\">\n<tr></tr></table>\
             <h3 id=\"t1\">A <b>b</b></h3><table aria-labelledby=\"t1\" tabindex=\"0\" id=\"kommunlista\"><tr></tr></table>\
             <table aria-labelledby=\"t1\" tabindex=\"0\"><tr></tr></table><h3>C</h3><table class=\"area\"><caption>1</caption></table>\
             <h3 id=\"t2\">D</h3><p>&lt;table&gt; <th>h3</th></p><table aria-labelledby=\"t2\" tabindex=\"0\"><tr></tr></table>"
        );
    }
}
