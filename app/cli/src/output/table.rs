//! The table forms: label/value pairs and lists, aligned by comfy-table, without trailing
//! spaces.

use comfy_table::{presets, Table};

/// `yes` or `no`.
pub fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.into()
}

/// A two-column table of labels and values.
pub fn key_values(rows: &[(&str, String)]) -> String {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING);
    for (label, value) in rows {
        table.add_row(vec![format!("{label}:"), value.clone()]);
    }
    trim_lines(&table.to_string())
}

/// A table with a header row, or `empty` when there are no rows.
pub fn list(header: &[&str], rows: impl Iterator<Item = Vec<String>>, empty: &str) -> String {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING);
    table.set_header(header.iter().copied());
    let mut any = false;
    for row in rows {
        any = true;
        table.add_row(row);
    }
    if any {
        trim_lines(&table.to_string())
    } else {
        format!("({empty})")
    }
}

/// comfy-table pads every cell; trailing spaces only get in the way of copy and paste.
fn trim_lines(text: &str) -> String {
    text.lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}
