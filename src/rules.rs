//! The rule catalogue: every rule id in the SPEC, its default severity, what it catches and
//! how to fix it. `foiguard rules`, findings' advice and (later) SARIF/HTML all read this table.

use crate::model::Severity;

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    /// Severity when the rule's content holds data; inspectors lower it for empty content.
    pub severity: Severity,
    pub summary: &'static str,
    pub advice: &'static str,
}

macro_rules! rules {
    ($($id:literal, $sev:ident, $summary:literal, $advice:literal;)*) => {
        /// All rules, in catalogue order.
        pub const RULES: &[Rule] = &[$(Rule { id: $id, severity: Severity::$sev, summary: $summary, advice: $advice }),*];
    };
}

rules! {
    "hidden-sheet", High,
        "Worksheet whose state is hidden: anyone can unhide it.",
        "Delete the hidden sheet (unhide it, check it, then delete it), or export only the visible cells to CSV.";
    "very-hidden-sheet", High,
        "Worksheet whose state is veryHidden: invisible in Excel's Unhide list, still in the file.",
        "Delete the sheet (set it visible in the VBA editor or another tool first), or export the visible cells to CSV.";
    "hidden-rows", High,
        "Hidden, zero-height or collapsed rows; anyone can unhide them.",
        "Unhide the rows and delete those that must not be released, or copy only the visible cells into a new file.";
    "hidden-columns", High,
        "Hidden, zero-width or collapsed columns; anyone can unhide them.",
        "Unhide the columns and delete those that must not be released, or copy only the visible cells into a new file.";
    "filtered-rows", High,
        "Rows hidden by an active AutoFilter: clearing the filter shows them.",
        "Clear the filter, delete the rows that must not be released, then reapply it; or paste the visible cells into a new file.";
    "pivot-cache", High,
        "Pivot cache: the pivot table's source rows travel with the file, even when the source sheet is gone.",
        "Convert the pivot table to values (copy, paste values) and delete the pivot table so its cache goes with it.";
    "data-model", High,
        "Power Pivot data model: whole source tables stored compressed in the file.",
        "Remove the data model (Data > Manage Data Model) or release the summary as values in a new workbook.";
    "chart-cache", Low,
        "Chart series keep a cached copy of the values and labels they plot.",
        "Check the chart's source data; if it refers to hidden or removed data, paste the chart as a picture instead.";
    "external-link", High,
        "Link to another workbook, with the cached values and file path it keeps.",
        "Break the link (Data > Edit Links > Break Link) so the cached values and path are removed.";
    "defined-name", Medium,
        "Defined name that is hidden or holds data (a constant or list) rather than a cell reference.",
        "Delete the name in Name Manager (hidden names need a macro or a cleaning tool to show).";
    "data-connection", Medium,
        "Data connection or query table: server names, queries and sometimes credentials.",
        "Delete the connection (Data > Queries & Connections) and keep only values.";
    "disguised-content", High,
        "Cells or text made invisible: font colour equal to the fill or the page (white on white), a ';;;' number format, or a tiny font.",
        "Select all cells or text, clear the formatting, check what appears, and delete what must not be released.";
    "residual-data", High,
        "Data a person cannot reach: shared strings no cell uses, cells far outside the used range.",
        "Copy the visible cells into a new workbook, or export to CSV, so leftover data is not carried over.";
    "comment", Medium,
        "Comments, notes and threaded comments, with their authors.",
        "Delete all comments and notes (Review > Delete), then check the document properties.";
    "speaker-notes", Medium,
        "Presentation speaker notes and content placed off the slide.",
        "Delete the speaker notes and off-slide objects, or release a PDF of the slides only.";
    "hidden-slide", High,
        "Slide marked hidden (show=\"0\"): a slide show skips it, but it travels with the file.",
        "Delete the hidden slide (unhide it, check it, then delete it), or release a PDF of the visible slides.";
    "tracked-change", High,
        "Tracked changes or shared-workbook revisions: earlier and deleted text is still in the file.",
        "Accept or reject all tracked changes, turn off tracking and shared-workbook history, then save a new copy.";
    "hidden-text", High,
        "Text formatted hidden or invisible (hidden font, invisible PDF text, white on white).",
        "Show hidden text, delete what must not be released, or release a version rebuilt from visible content.";
    "fake-redaction", Critical,
        "A redaction that hides nothing: text still under a drawn box, black highlight or unapplied redaction.",
        "Redact with a tool that removes the text itself (apply redactions), then check by copying the text.";
    "pdf-incremental-update", Medium,
        "Earlier revisions of a PDF kept below later edits.",
        "Save the PDF as a new file (or sanitise it) so earlier revisions are dropped.";
    "embedded-object", Medium,
        "Embedded workbooks, documents, OLE packages or attachments; their content is scanned too.",
        "Delete the embedded object, or release it separately after it has been checked.";
    "macro", Medium,
        "VBA project (workbook, document or presentation) or legacy macro sheet.",
        "Save a macro-free copy (.xlsx, .docx or .pptx) after checking the code for personal data.";
    "document-metadata", Low,
        "Author, last modified by, company, manager, custom properties or file paths in the file's properties.",
        "Remove personal information with File > Info > Inspect Document, or clear the properties.";
    "custom-xml", Low,
        "Custom XML parts stored with the document.",
        "Remove custom XML data with Inspect Document, or rebuild the file from its visible content.";
    "unknown-part", Medium,
        "A part of a kind foiguard does not understand that holds text; its text is scanned as hidden content.",
        "Find out what wrote the part and whether it must travel with the file; otherwise re-save or export the content into a new file.";
    "csv-injection", Low,
        "CSV cell that a spreadsheet would run as a formula (starts with =, +, - or @ and is not a number).",
        "Prefix the cell with an apostrophe or remove the formula, so a spreadsheet shows it as text.";
    "unscannable", Critical,
        "The file or a part of it could not be fully inspected (encrypted, corrupt, truncated, unsupported or over a safety limit).",
        "Release only a file that can be checked: remove the password, repair or re-export it, or convert it to a supported format.";
    "roster-match", Critical,
        "An entry of a --roster file (a name or identifier that must never be released).",
        "Remove or redact every occurrence of the named person or identifier. Someone who may be named (a chief constable) goes in [allow] names in foiguard.toml.";
    "personal-data-column", High,
        "Column whose heading marks personal data, with values under it.",
        "Delete the column or replace it with aggregated figures.";
    "pii.person-name", Medium,
        "Person name found by context (rank or title before a surname, name columns).",
        "Remove or redact the name unless it is approved for publication; approved names go in [allow] names in foiguard.toml.";
    "pii.police-officer", High,
        "Officer reference: rank plus collar number or surname.",
        "Remove or redact the officer reference; officers who may be named go in [allow] names in foiguard.toml.";
    "pii.nino", High,
        "National Insurance number.",
        "Remove the National Insurance number.";
    "pii.nhs-number", High,
        "NHS number (valid check digit).",
        "Remove the NHS number.";
    "pii.date-of-birth", High,
        "Date in a date-of-birth context.",
        "Remove dates of birth, or replace them with age bands.";
    "pii.postcode", Medium,
        "Full UK postcode.",
        "Truncate postcodes to the outward code or district; an office postcode that may be published goes in [allow] identifiers in foiguard.toml.";
    "pii.phone", Medium,
        "UK phone number.",
        "Remove personal phone numbers; a switchboard or office number goes in [allow] identifiers in foiguard.toml.";
    "pii.email", Medium,
        "Personal email address (role mailboxes are not reported).",
        "Remove personal email addresses; keep role mailboxes only, and list your own in [allow] mailboxes in foiguard.toml.";
    "pii.vehicle-registration", Medium,
        "GB vehicle registration mark in context.",
        "Remove vehicle registration marks.";
    "pii.pnc-id", High,
        "Police National Computer ID (valid check letter).",
        "Remove PNC IDs.";
    "pii.cro-number", High,
        "Criminal Records Office number (valid check letter).",
        "Remove CRO numbers.";
    "pii.passport", High,
        "Passport number in context.",
        "Remove passport numbers.";
    "pii.driving-licence", High,
        "Driving licence number in context.",
        "Remove driving licence numbers.";
    "pii.bank-account", High,
        "Sort code with an account number.",
        "Remove bank details.";
    "pii.iban", High,
        "IBAN (valid mod-97 check).",
        "Remove bank details.";
    "pii.payment-card", High,
        "Payment card number (valid Luhn check).",
        "Remove card numbers.";
    "pii.ip-address", Low,
        "IPv4 or IPv6 address.",
        "Remove IP addresses that identify a person's connection.";
    "small-count", Medium,
        "Aggregate cell counting fewer people than the threshold: a statistical disclosure risk.",
        "Suppress or band small counts (for example '<5') and check totals do not reveal them by subtraction.";
    "row-level-data", Medium,
        "Table of individual-level records in what should be a statistical response.",
        "Release aggregated figures instead of individual records.";
}

/// Rules of the personal-data detectors (the SPEC's second table); the others are about
/// places that hide content.
pub fn is_personal_data_rule(id: &str) -> bool {
    id.starts_with("pii.")
        || matches!(
            id,
            "roster-match" | "personal-data-column" | "small-count" | "row-level-data"
        )
}

/// The catalogue as a Markdown page (`foiguard rules --format markdown`, kept in the
/// project as RULES.md): the same text `foiguard rules`, SARIF and the HTML report use.
pub fn markdown() -> String {
    let mut out = String::from(
        "# foiguard rule catalogue\n\n\
         Written by `foiguard rules --format markdown`; a test keeps this file in step with the\n\
         program. Severity, lowest to highest: `info`, `low`, `medium`, `high`, `critical`. The\n\
         severity shown is the default for content that holds data; the same place left empty is\n\
         reported lower, and personal data found in hidden content is at least `high` (a roster\n\
         match or a checksum-valid national identifier there is `critical`). `unscannable` always\n\
         blocks.\n",
    );
    for (title, personal) in [
        ("Content that the file hides", false),
        ("Personal data in the content, visible or not", true),
    ] {
        out.push_str(&format!(
            "\n## {title}\n\n| rule | severity | what it catches | how to fix |\n|---|---|---|---|\n"
        ));
        for r in RULES
            .iter()
            .filter(|r| is_personal_data_rule(r.id) == personal)
        {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                r.id,
                r.severity.as_str(),
                r.summary.replace('|', "\\|"),
                r.advice.replace('|', "\\|")
            ));
        }
    }
    out
}

/// Looks a rule up by id. Every id used in code is in the table, so a miss is a bug.
pub fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("rule '{id}' missing from the catalogue"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_have_text() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert!(
            RULES
                .iter()
                .all(|r| !r.summary.is_empty() && !r.advice.is_empty())
        );
        assert_eq!(rule("unscannable").severity, Severity::Critical);
    }
}
