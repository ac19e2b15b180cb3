#!/usr/bin/env python3
"""Mutation check of kompass's tests (README, "Code layout", Tests).

Each mutant is a one-token change a plausible bug would make to a figure,
a check or a safety rule. All are put into the source at once as a
mutant schema: the mutated code runs only where the environment variable
KOMPASS_MUTANT names its number (`kompass::mutant`), so one build serves
them all, and `run.sh` runs the whole suite once per mutant. A mutant the
suite passes with is a change no test notices.

    python3 tests/mutants/schema.py check    # every original found once
    python3 tests/mutants/schema.py apply    # refuses if src/ has changes
    bash tests/mutants/run.sh 1 2 3 ...      # (after apply) the suite per mutant
    python3 tests/mutants/schema.py revert   # git checkout of the files it changed

`apply` changes files under src/ in place and `revert` checks them out
from HEAD again, each only if it is still exactly as `apply` left it (one
edited since is left as it is, with src/lib.rs's switch, and named): run
it on a clean tree and commit nothing in between. When a line
here no longer matches the source (`check` names it), update the line.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (number, what it stands for, file, original, mutated): the mutated text
# keeps the original beside the change, `crate::mutant(N)` choosing.
MUTANTS = [
    (1, 'quartiles: the lower neighbour, no interpolation', 'src/stats/quartiles.rs',
     '(x - lo as f64) * (b - a) + a',
     'if crate::mutant(1) { a } else { (x - lo as f64) * (b - a) + a }'),
    (2, 'percentile rank: ties counted whole, not half', 'src/analysis/standings/mod.rs',
     '(lower as f64 + tied as f64 / 2.0)',
     '(lower as f64 + tied as f64 / if crate::mutant(2) { 1.0 } else { 2.0 })'),
    (3, 'rank: the worst place of a tie', 'src/analysis/standings/mod.rs',
     '(n - upto + 1, pct)',
     '(if crate::mutant(3) { n - lower } else { n - upto + 1 }, pct)'),
    (4, 'SD: n, not n - 1', 'src/stats/mod.rs',
     '/ (v.len() as f64 - 1.0)',
     '/ (v.len() as f64 - if crate::mutant(4) { 0.0 } else { 1.0 })'),
    (5, "averages' SD: n, not n - 1", 'src/analysis/averages/mod.rs',
     '(m2 / (n - 1) as f64)',
     '(m2 / (n - if crate::mutant(5) { 0 } else { 1 }) as f64)'),
    (6, 'SE of a mean: sd / sqrt(n - 1)', 'src/stats/interval.rs',
     '.map(|sd| sd / (self.n as f64).sqrt())',
     '.map(|sd| sd / (self.n as f64 - if crate::mutant(6) { 1.0 } else { 0.0 }).sqrt())'),
    (7, 'interval: sampling and linking SEs added, not in quadrature', 'src/stats/interval.rs',
     'Rule::One(d) => t(d) * s.hypot(l),',
     'Rule::One(d) => t(d) * if crate::mutant(7) { s + l } else { s.hypot(l) },'),
    (8, 'total SE: the larger of the two, not in quadrature', 'src/stats/interval.rs',
     '(true, l) => l.map(|l| s.hypot(l)),',
     '(true, l) => l.map(|l| if crate::mutant(8) { s.max(l) } else { s.hypot(l) }),'),
    (9, "a change's linking SE: the larger end's, not in quadrature", 'src/analysis/trends/chain.rs',
     '.then(|| Some((end_se(x)?.powi(2) + end_se(y)?.powi(2)).sqrt()))',
     '.then(|| Some(if crate::mutant(9) { end_se(x)?.max(end_se(y)?) } else { (end_se(x)?.powi(2) + end_se(y)?.powi(2)).sqrt() }))'),
    (10, 'group difference: the SE without its n_r / N factor', 'src/analysis/averages/difference.rs',
     'se: nr / nn * (a + b).sqrt(),',
     'se: if crate::mutant(10) { (a + b).sqrt() } else { nr / nn * (a + b).sqrt() },'),
    (11, "group difference: the rest's mean taken as the country's", 'src/analysis/averages/difference.rs',
     'let rest_mean = (nn * nat.mean - ng * g.mean) / nr;',
     'let rest_mean = if crate::mutant(11) { nat.mean } else { (nn * nat.mean - ng * g.mean) / nr };'),
    (12, 'correlation: covariance over n', 'src/linking/fit.rs',
     '        / (x.len() - 1) as f64;',
     '        / (x.len() - if crate::mutant(12) { 0 } else { 1 }) as f64;'),
    (13, 'linear link: slope 1', 'src/linking/methods.rs',
     'let slope = sy / sx;',
     'let slope = if crate::mutant(13) { 1.0 } else { sy / sx };'),
    (14, 'rounding: without the nine-decimal step', 'src/stats/mod.rs',
     'let exact = (x * scale * 1e9).round() / 1e9;',
     'let exact = if crate::mutant(14) { x * scale } else { (x * scale * 1e9).round() / 1e9 };'),
    (15, 'rounding allowance: half a point per part, none for the sum', 'src/validate/mod.rs',
     'HALF_POINT * (1 + parts) as f64',
     'HALF_POINT * (if crate::mutant(15) { 0 } else { 1 } + parts) as f64'),
    (16, 'latest basis: every evaluation of a municipality', 'src/analysis/frame.rs',
     'let last = m[m.len() - 1].year;',
     'let last = if crate::mutant(16) { m[0].year } else { m[m.len() - 1].year };'),
    (17, 'role models: those at third place left out', 'src/analysis/standings/mod.rs',
     '(rank <= ROLE_MODELS).then_some((rank, p))',
     '(if crate::mutant(17) { rank < ROLE_MODELS } else { rank <= ROLE_MODELS }).then_some((rank, p))'),
    (18, 'percentile rank: none for n = 2', 'src/analysis/standings/mod.rs',
     'let pct = (n > 1).then(',
     'let pct = (n > if crate::mutant(18) { 2 } else { 1 }).then('),
    (19, 'intervals: t at 0.95, not 0.975', 'src/stats/interval.rs',
     '.map(|&d| t_quantile(0.975, f64::from_bits(d)))',
     '.map(|&d| t_quantile(if crate::mutant(19) { 0.95 } else { 0.975 }, f64::from_bits(d)))'),
    (20, 'Welch-Satterthwaite left out: the sampling df alone', 'src/stats/interval.rs',
     '    let (s4, l4) = (s.powi(4), l.powi(4));',
     '    if crate::mutant(20) { return df_s; }\n    let (s4, l4) = (s.powi(4), l.powi(4));'),
    (21, "a link's df: p, not p - 1", 'src/stats/interval.rs',
     'df.unwrap_or(p.saturating_sub(1).max(1) as f64)',
     'df.unwrap_or(if crate::mutant(21) { p.max(1) } else { p.saturating_sub(1).max(1) } as f64)'),
    (22, 'bootstrap SE: not scaled by sqrt(n / (n - 1))', 'src/linking/uncertainty.rs',
     'let k = if n >= 2 && !jackknife {',
     'let k = if n >= 2 && !jackknife && !crate::mutant(22) {'),
    (23, 'a minus sign read as a 0', 'src/io/number.rs',
     "b'-' | b'+' if i == 0 => b,",
     "b'-' if i == 0 && crate::mutant(23) => b'0',\n            b'-' | b'+' if i == 0 => b,"),
    (24, 'trends: a change both natively and through the link', 'src/analysis/trends/chain.rs',
     'if Some(s) == linked && native_change(x.item) {',
     'if Some(s) == linked && native_change(x.item) && !crate::mutant(24) {'),
    (25, 'linked scores: not clamped to the scale', 'src/linking/scores.rs',
     'let linked = raw.clamp(0.0, max);',
     'let linked = if crate::mutant(25) { raw } else { raw.clamp(0.0, max) };'),
    (26, 'group percentile: from 6, not 5', 'src/analysis/standings/mod.rs',
     'pct.filter(|_| n >= MIN_GROUP_FOR_PERCENTILE)',
     'pct.filter(|_| if crate::mutant(26) { n > MIN_GROUP_FOR_PERCENTILE } else { n >= MIN_GROUP_FOR_PERCENTILE })'),
    (27, 'group difference: the between-groups sum of squares left out', 'src/analysis/averages/difference.rs',
     'let between = ng * nr / nn * (g.mean - rest_mean).powi(2);',
     'let between = if crate::mutant(27) { 0.0 } else { ng * nr / nn * (g.mean - rest_mean).powi(2) };'),
    (28, 'above-max: 0.75 above the maximum let through', 'src/ingest/row/scores.rs',
     'if v > it.max + NOISE {',
     'if v > it.max + if crate::mutant(28) { 0.75 } else { NOISE } {'),
    (29, 'off-resolution: never noted', 'src/stats/mod.rs',
     '(steps - steps.round()).abs() <= 1e-6',
     '(steps - steps.round()).abs() <= if crate::mutant(29) { 0.5 } else { 1e-6 }'),
    (30, 'year-range: this year out of range', 'src/validate/checks.rs',
     '!(FIRST_YEAR..=current_year).contains(&year)',
     '!(if crate::mutant(30) { FIRST_YEAR..=current_year - 1 } else { FIRST_YEAR..=current_year }).contains(&year)'),
    (31, 'population weights: a population of 0 counted', 'src/analysis/averages/mod.rs',
     'population.filter(|w| *w > 0.0)',
     'population.filter(|w| if crate::mutant(31) { *w >= 0.0 } else { *w > 0.0 })'),
    (32, 'jackknife: the wrong scale factor', 'src/linking/jackknife.rs',
     'let c = (n - 1) as f64 / (n as f64).sqrt();',
     'let c = if crate::mutant(32) { ((n - 1) as f64 / n as f64).sqrt() } else { (n - 1) as f64 / (n as f64).sqrt() };'),
    (33, 'equipercentile: the share outside the pairs not checked', 'src/linking/tails.rs',
     '&& outside <= EQUIPERCENTILE_OUTSIDE_SHARE * m',
     '&& (crate::mutant(33) || outside <= EQUIPERCENTILE_OUTSIDE_SHARE * m)'),
    (34, 'equipercentile: a step function, not interpolated', 'src/linking/methods.rs',
     'y0 + (y1 - y0) * (x - x0) / (x1 - x0)',
     'if crate::mutant(34) { y0 } else { y0 + (y1 - y0) * (x - x0) / (x1 - x0) }'),
    (35, 'negative-score: -0.75 let through', 'src/ingest/row/scores.rs',
     'if v < -NOISE {',
     'if v < if crate::mutant(35) { -0.75 } else { -NOISE } {'),
    (36, 'conflict: never found', 'src/validate/conflicts.rs',
     'if group.iter().all(|o| same_score(o, &first)) {',
     'if crate::mutant(36) || group.iter().all(|o| same_score(o, &first)) {'),
    (37, 'ranks: ties by the float, not as written', 'src/analysis/standings/mod.rs',
     'let written = |x: f64| as_written(x, STAT_DECIMALS);',
     'let written = |x: f64| if crate::mutant(37) { x } else { as_written(x, STAT_DECIMALS) };'),
    (38, "published: the difference's sign turned", 'src/analysis/published/mod.rs',
     'let difference = match mean - r.mean {',
     'let difference = match if crate::mutant(38) { r.mean - mean } else { mean - r.mean } {'),
    (39, 'group difference: the sign turned', 'src/analysis/averages/difference.rs',
     'let difference = g.mean - nat.mean;',
     'let difference = if crate::mutant(39) { nat.mean - g.mean } else { g.mean - nat.mean };'),
    (40, "averages' SD: Welford's update written wrong", 'src/analysis/averages/mod.rs',
     'let delta = v - mean;\n            let next = delta / (k + 1) as f64 + mean;\n            m2 += delta * (v - next);',
     'let delta = v - mean;\n            let next = delta / (k + 1) as f64 + mean;\n            m2 += if crate::mutant(40) { delta * delta } else { delta * (v - next) };'),
    (41, 'formula guard: + and - never guarded', 'src/io/csv_out.rs',
     "Some(b'+' | b'-') => parse_number(s, Decimal::Auto).is_none(),",
     "Some(b'+' | b'-') => !crate::mutant(41) && parse_number(s, Decimal::Auto).is_none(),"),
    (42, 'formula guard: @ not guarded', 'src/io/csv_out.rs',
     "        Some(b'=' | b'@' | b'\\t' | b'\\r' | b'\\n' | b'\\0' | b'\\'') => true,",
     "        Some(b'@') if crate::mutant(42) => false,\n        Some(b'=' | b'@' | b'\\t' | b'\\r' | b'\\n' | b'\\0' | b'\\'') => true,"),
    (43, 'output folder: a mount point taken', 'src/io/outdir/owner.rs',
     'if mounts.iter().any(|m| m == at) {',
     'if !crate::mutant(43) && mounts.iter().any(|m| m == at) {'),
    (44, 'output folder: any folder taken as empty', 'src/io/outdir/owner.rs',
     'if crate::io::holds_only_placeholders(at)? {',
     'if crate::mutant(44) || crate::io::holds_only_placeholders(at)? {'),
    (45, "output folder: a copied manifest taken as kompass's", 'src/io/outdir/owner.rs',
     'if manifested == Manifested::Output {',
     'if manifested == Manifested::Output\n        || (crate::mutant(45) && manifested == Manifested::NoOutputThere)\n    {'),
    (46, "a file saved over an output during the run taken as kompass's", 'src/io/outdir/carry.rs',
     'self.wrote(rel) && (self.seen.get(rel)).is_none_or(',
     'self.wrote(rel) && crate::mutant(46) || self.wrote(rel) && (self.seen.get(rel)).is_none_or('),
    (47, "a folder of the user's at an output's place dropped", 'src/io/outdir/carry.rs',
     'if own.written.contains(&r) && kind.is_file() {',
     'if own.written.contains(&r) && (crate::mutant(47) || kind.is_file()) {'),
    (48, "formula guard undone: any leading ' removed", 'src/io/csv_out.rs',
     "Some(rest) if rest.starts_with(['=', '+', '-', '@', '\\t', '\\r', '\\n', '\\0', '\\'']) => rest,",
     "Some(rest) if crate::mutant(48) || rest.starts_with(['=', '+', '-', '@', '\\t', '\\r', '\\n', '\\0', '\\'']) => rest,"),
    (49, 'reconciliation: a rejected cell counted as a rejected row', 'src/validate/reconcile.rs',
     'true => c.cells_rejected += 1,',
     'true if crate::mutant(49) => c.rejected += 1,\n                true => c.cells_rejected += 1,'),
    (50, 'output folder: its log being written inside it not refused', 'src/io/outdir/owner.rs',
     'if let Some(stream) = stream_inside(at) {',
     'if let Some(stream) = stream_inside(at).filter(|_| !crate::mutant(50)) {'),
    (51, "retire: kompass's folder the new run does not write moved in as the user's", 'src/io/outdir/retire.rs',
     'if kind.is_dir() && (is_dir || own.has_under(r)) {',
     'if kind.is_dir() && (is_dir || (!crate::mutant(51) && own.has_under(r))) {'),
    (52, 'derive: an area from the parts that are there (a score invented)', 'src/validate/derive.rs',
     'let parts: Option<Vec<Score>> = item.parts.iter().map(|&p| have[p as usize]).collect();',
     'let parts: Option<Vec<Score>> = if crate::mutant(52) { Some(item.parts.iter().filter_map(|&p| have[p as usize]).collect()) } else { item.parts.iter().map(|&p| have[p as usize]).collect() };'),
    (53, '--excel: a decimal point, not a comma', 'src/io/dialect.rs',
     "let mark = if self.excel { b',' } else { b'.' };",
     "let mark = if self.excel && !crate::mutant(53) { b',' } else { b'.' };"),
    (54, "derived sums: one rounded figure, not their parts'", 'src/validate/derive.rs',
     '                have[ix as usize] = Some(Score::new(eval, ix, sum, None));\n                figures[ix as usize] = part_figures;',
     '                have[ix as usize] = Some(Score::new(eval, ix, sum, None));\n                figures[ix as usize] = if crate::mutant(54) { 1 } else { part_figures };'),
    (55, 'rounding allowance: by parts, not by the rounded figures behind them', 'src/validate/derive.rs',
     'if !within_rounding(given.value, sum, part_figures) {',
     'if !within_rounding(given.value, sum, if crate::mutant(55) { parts.len() } else { part_figures }) {'),
    (56, 'derive: an item given with conflicting scores derived from its parts', 'src/validate/derive.rs',
     'None if own || conflicted.iter().any(|c| c.1 == ix) => {}',
     'None if own || (!crate::mutant(56) && conflicted.iter().any(|c| c.1 == ix)) => {}'),
    (57, 'decoding: decomposed letters not composed', 'src/io/decode.rs',
     '    lone_cr_to_lf(&mut d);\n    composed(&mut d);',
     '    lone_cr_to_lf(&mut d);\n    if !crate::mutant(57) {\n        composed(&mut d);\n    }'),
    (58, 'decoding: lone CR line ends kept', 'src/io/decode.rs',
     '    let mut d = decode_bytes(path, bytes, encoding)?;\n    lone_cr_to_lf(&mut d);',
     '    let mut d = decode_bytes(path, bytes, encoding)?;\n    if !crate::mutant(58) {\n        lone_cr_to_lf(&mut d);\n    }'),
    (59, '--excel: a comma separator, not ;', 'src/io/dialect.rs',
     "if self.excel { b';' } else { b',' }",
     "if self.excel && !crate::mutant(59) { b';' } else { b',' }"),
    (60, 'trend summaries: the SD over n, not n - 1', 'src/analysis/trends/mod.rs',
     'col("delta").std(1).alias("sd"),',
     'col("delta").std(if crate::mutant(60) { 0 } else { 1 }).alias("sd"),'),
    (61, "a change's linking error: its earlier end counted +1, not -1", 'src/analysis/trends/mod.rs',
     'terms.add(l, x, -1.0);',
     'terms.add(l, x, if crate::mutant(61) { 1.0 } else { -1.0 });'),
    (62, 'link-variant: either threshold, not both', 'src/linking/invariance.rs',
     'self.rmsd > MAX_RMSD && self.sampling.is_none_or(|s| self.rmsd > SAMPLING_TIMES * s)',
     'if crate::mutant(62) { self.rmsd > MAX_RMSD || self.sampling.is_none_or(|s| self.rmsd > SAMPLING_TIMES * s) } else { self.rmsd > MAX_RMSD && self.sampling.is_none_or(|s| self.rmsd > SAMPLING_TIMES * s) }'),
    (63, 'auto link method: linear from 6 municipalities, not 5', 'src/linking/methods.rs',
     'MethodChoice::Auto if n >= LINEAR_MIN_PAIRS => Ok(Method::Linear),',
     'MethodChoice::Auto if n >= LINEAR_MIN_PAIRS + usize::from(crate::mutant(63)) => Ok(Method::Linear),'),
    (64, "conflict: kompass's own table read back without its rounding", 'src/validate/mod.rs',
     'true => 0.5 * 10f64.powi(-(output::SCORE_DECIMALS as i32)),',
     'true if crate::mutant(64) => 0.0,\n        true => 0.5 * 10f64.powi(-(output::SCORE_DECIMALS as i32)),'),
    (65, "a summary's linking error: the largest link's variance, not their sum", 'src/analysis/link_error.rs',
     'variance += mean_sd(&replicate_means(&terms, reps, m as f64)).1.powi(2);',
     'let v = mean_sd(&replicate_means(&terms, reps, m as f64)).1.powi(2);\n        variance = if crate::mutant(65) { f64::max(variance, v) } else { variance + v };'),
    (66, 'group rank: the national place', 'src/analysis/standings/mod.rs',
     'let (rank, pct) = self.group.places[k].position(n);',
     'let (rank, pct) = if crate::mutant(66) { &self.national } else { &self.group }.places[k].position(n);'),
    (67, 'report: a score to one decimal, not as given', 'src/render/numbers.rs',
     '        self.write(x, 4, true)',
     '        self.write(x, if crate::mutant(67) { 1 } else { 4 }, true)'),
    (68, 'published: a difference below 0.05, not 0.005, shown as none', 'src/analysis/published/mod.rs',
     'd if d.abs() < 0.005 => 0.0,',
     'd if d.abs() < if crate::mutant(68) { 0.05 } else { 0.005 } => 0.0,'),
    (69, 'linking: any SD above 0 is spread', 'src/linking/methods.rs',
     'sd > 1e-9 * mean.abs().max(1.0)',
     'sd > if crate::mutant(69) { 0.0 } else { 1e-9 * mean.abs().max(1.0) }'),
]

SWITCH = '''
/// The mutant schema's switch (`tests/mutants/schema.py`, put here by its
/// `apply` and never committed): whether KOMPASS_MUTANT names mutant `k`.
#[doc(hidden)]
pub fn mutant(k: u32) -> bool {
    static M: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *M.get_or_init(|| {
        std::env::var("KOMPASS_MUTANT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }) == k
}
'''


def files():
    return sorted({m[2] for m in MUTANTS} | {"src/lib.rs"})


def applied(f):
    """File `f` as `apply` leaves it: its committed text, mutated."""
    text = subprocess.run(["git", "show", f"HEAD:{f}"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    for _, _, g, old, new in MUTANTS:
        if g == f:
            text = text.replace(old, new)
    return text + SWITCH if f == "src/lib.rs" else text


def check():
    """The originals, each found once in its file; the problems."""
    problems = []
    for k, _, f, old, _ in MUTANTS:
        n = (ROOT / f).read_text().count(old)
        if n != 1:
            problems.append(f"mutant {k}: {f} has its original {n} times")
    return problems


def main(cmd):
    if cmd == "check":
        problems = check()
        print("\n".join(problems) or f"all {len(MUTANTS)} originals found once")
        return 1 if problems else 0
    if cmd == "apply":
        changed = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
        if changed:
            print("src/ has changes; commit or stash them first:\n" + changed)
            return 1
        problems = check()
        if problems:
            print("\n".join(problems))
            return 1
        # Every file's mutated text first, each original found once at its
        # turn (two mutants of one function must not hide each other), then
        # written.
        texts = {}
        for k, _, f, old, new in MUTANTS:
            text = texts.get(f) or (ROOT / f).read_text()
            if text.count(old) != 1:
                print(f"mutant {k}: its original is {text.count(old)} times in {f} "
                      "after the mutants before it; nothing applied")
                return 1
            texts[f] = text.replace(old, new)
        texts["src/lib.rs"] = (ROOT / "src/lib.rs").read_text() + SWITCH
        for f, text in texts.items():
            (ROOT / f).write_text(text)
        print(f"applied {len(MUTANTS)} mutants; build, then bash tests/mutants/run.sh N...")
        return 0
    if cmd == "revert":
        # Only files exactly as `apply` left them: an edit made since is
        # not thrown away.
        edited = [f for f in files() if (ROOT / f).read_text() != applied(f)]
        # The switch stays while a file calls it.
        clean = [f for f in files() if f not in edited and not (edited and f == "src/lib.rs")]
        # From HEAD, not the index: mutants staged meanwhile are undone too.
        subprocess.run(["git", "checkout", "HEAD", "--", *clean], cwd=ROOT, check=True)
        print("reverted " + ", ".join(clean))
        if edited:
            print("changed since apply, left as they are (undo their mutants yourself):\n  "
                  + "\n  ".join(edited))
            return 1
        return 0
    if cmd == "list":
        for k, what, f, _, _ in MUTANTS:
            print(f"{k:3}  {f}: {what}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
    except BrokenPipeError:  # `list | head`
        sys.exit(0)
