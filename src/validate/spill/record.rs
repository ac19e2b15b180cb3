//! The bytes of a run's records: a finding, or a rejected row with its
//! finding's fields, each as its file and line (`u32`), its rule's
//! number, then its strings as a length (`u64`) and bytes.

use std::io::Read;

use crate::ingest::RejectedRow;
use crate::validate::rules::{Context, Finding, Rule, Text};

/// A run's next record with its file and line; `None` at the run's end.
pub(super) type Next<T> = std::io::Result<Option<((u32, u32), T)>>;

/// Reads a run's next record of one kind.
pub(super) type Get<T> = fn(&mut dyn Read) -> Next<T>;

fn put_u32(b: &mut Vec<u8>, n: u32) {
    b.extend_from_slice(&n.to_le_bytes());
}

/// A string as its length and bytes.
fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u64).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

fn put_head(b: &mut Vec<u8>, file: u32, line: u32, rule: Rule) {
    put_u32(b, file);
    put_u32(b, line);
    b.push(rule as u8);
}

pub(super) fn put_finding(b: &mut Vec<u8>, f: &Finding) {
    put_head(b, f.file, f.line, f.rule);
    let c = &f.context;
    for s in [&f.column, &f.value] {
        put_str(b, s);
    }
    put_str(b, &f.message);
    for s in [&c.country, &c.code, &c.year, &c.scale, &c.item] {
        put_str(b, s);
    }
}

pub(super) fn put_reject(b: &mut Vec<u8>, r: &RejectedRow, f: &Finding) {
    put_head(b, r.file, r.line, f.rule);
    b.push(u8::from(r.cell));
    put_str(b, &f.column);
    put_str(b, &f.value);
    put_str(b, &f.message);
    put_str(b, &r.raw);
}

/// A record's file, line and rule; `None` at the end of the run.
fn get_head(r: &mut dyn Read) -> std::io::Result<Option<(u32, u32, Rule)>> {
    let mut head = [0u8; 9];
    let mut n = 0;
    while n < head.len() {
        match r.read(&mut head[n..])? {
            0 if n == 0 => return Ok(None),
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            k => n += k,
        }
    }
    let file = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let line = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
    let rule = *Rule::ALL
        .get(head[8] as usize)
        .ok_or(std::io::ErrorKind::InvalidData)?;
    Ok(Some((file, line, rule)))
}

fn get_string(r: &mut dyn Read) -> std::io::Result<String> {
    let mut len = [0u8; 8];
    r.read_exact(&mut len)?;
    let len =
        usize::try_from(u64::from_le_bytes(len)).map_err(|_| std::io::ErrorKind::InvalidData)?;
    let mut bytes = vec![0u8; len];
    r.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|_| std::io::ErrorKind::InvalidData.into())
}

fn get_text(r: &mut dyn Read) -> std::io::Result<Text> {
    get_string(r).map(Text::from)
}

/// A finding's fields after its head (`at`): column, value, message, and
/// its context when `with_context` (a rejected row's record has none).
fn get_body(
    r: &mut dyn Read,
    at: (u32, u32, Rule),
    with_context: bool,
) -> std::io::Result<Finding> {
    let (file, line, rule) = at;
    let (column, value, message) = (get_text(r)?, get_text(r)?, get_string(r)?);
    let mut context = Context::default();
    if with_context {
        for field in [
            &mut context.country,
            &mut context.code,
            &mut context.year,
            &mut context.scale,
            &mut context.item,
        ] {
            *field = get_text(r)?;
        }
    }
    Ok(Finding {
        rule,
        file,
        line,
        column,
        value,
        message,
        context,
    })
}

pub(super) fn get_finding(r: &mut dyn Read) -> Next<Finding> {
    let Some(at) = get_head(r)? else {
        return Ok(None);
    };
    let f = get_body(r, at, true)?;
    Ok(Some(((f.file, f.line), f)))
}

pub(super) fn get_reject(r: &mut dyn Read) -> Next<(RejectedRow, Finding)> {
    let Some(at) = get_head(r)? else {
        return Ok(None);
    };
    let mut cell = [0u8];
    r.read_exact(&mut cell)?;
    let f = get_body(r, at, false)?;
    let row = RejectedRow {
        file: f.file,
        line: f.line,
        finding: 0,
        raw: get_string(r)?,
        cell: cell[0] == 1,
    };
    Ok(Some(((f.file, f.line), (row, f))))
}
