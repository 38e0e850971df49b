// Writes the xlsb fixtures of tests/xlsb.rs with SheetJS,
// a real xlsb writer (npm package `xlsx` 0.18.5, Apache-2.0). Run once; the outputs are
// committed, so the tests need only Rust:
//
//     cd tests/data/xlsb && npm install --no-save xlsx@0.18.5 && node make.js [name...]
//
// SheetJS writes the binary workbook, worksheet, shared-string, style and comment parts
// itself: hidden and very hidden sheets (BrtBundleSh), hidden rows (BrtRowHdr fDyZero),
// hidden columns (BrtColInfo fHidden), AutoFilter ranges (BrtBeginAFilter), notes
// (BrtCommentAuthor, BrtBeginComment, BrtCommentText), number formats (BrtFmt, BrtXF) and
// document properties (docProps/*.xml). What it cannot write (defined names, pivot caches,
// external links, fonts and fills, active filter columns) is covered by the record writer in
// tests/xlsb.rs. clean.xlsb and hidden_sheets.xlsb are also the corpus samples
// FOI-2024-0371 and FOI-2024-0370 (cargo run --example gen-corpus). All people, numbers and identifiers are made up (phones 07700 900xxx).

const XLSX = require("xlsx");
const path = require("path");

const HERE = __dirname;

const WARDS = [
  ["Ward", "Burglary", "Robbery", "Vehicle crime"],
  ["Mile Cross", 42, 7, 31],
  ["Mancroft", 58, 12, 44],
  ["Thorpe Hamlet", 37, 9, 26],
  ["Lakenham", 29, 6, 18],
  ["Bowthorpe", 33, 8, 21],
];

const STAFF = [["Surname", "Forename", "Rank", "Service no"]].concat(
  [
    ["SMITH", "John", "PC", 4821],
    ["JONES", "Mary", "DC", 5530],
    ["PATEL", "Raj", "DS", 1187],
    ["BROWN", "Alice", "PC", 6021],
    ["TAYLOR", "Gary", "Sgt", 3310],
    ["WILSON", "Emma", "PC", 7742],
    ["DAVIES", "Owen", "PC", 2204],
    ["EVANS", "Ruth", "DC", 9157],
    ["THOMAS", "Huw", "Insp", 1005],
    ["ROBERTS", "Carys", "PC", 6633],
    ["WALKER", "Dean", "PC", 4410],
    ["HUGHES", "Nia", "DS", 8302],
  ]
);

const VICTIMS = [
  ["Victim", "Date of birth", "Phone", "Ward"],
  ["Mary JONES", "1984-03-12", "07700 900123", "Mile Cross"],
  ["Peter WRIGHT", "1979-11-02", "07700 900456", "Mancroft"],
  ["Susan CLARKE", "1991-06-25", "07700 900789", "Lakenham"],
  ["Ahmed KHAN", "1966-01-30", "07700 900321", "Bowthorpe"],
  ["Laura HALL", "2001-09-14", "07700 900654", "Thorpe Hamlet"],
  ["David GREEN", "1958-12-08", "07700 900987", "Mile Cross"],
  ["Karen LEWIS", "1973-04-19", "07700 900246", "Mancroft"],
  ["Tom BAKER", "1995-07-03", "07700 900135", "Lakenham"],
];

function book(sheets, hidden) {
  const wb = XLSX.utils.book_new();
  for (const [name, ws] of sheets) XLSX.utils.book_append_sheet(wb, ws, name);
  if (hidden) wb.Workbook = { Sheets: hidden.map((h) => ({ Hidden: h })) };
  return wb;
}

function save(wb, file) {
  XLSX.writeFile(wb, path.join(HERE, file), {
    bookType: "xlsb",
    bookSST: true,
    compression: true,
  });
  console.log("wrote", file);
}

const fixtures = {
  // Offences by ward; nothing hidden.
  clean() {
    save(book([["Crime by ward", XLSX.utils.aoa_to_sheet(WARDS)]]), "clean.xlsb");
  },
  // A visible summary, a hidden staff list, a very hidden victims list, an empty hidden sheet.
  hidden_sheets() {
    const wb = book(
      [
        ["Summary", XLSX.utils.aoa_to_sheet(WARDS)],
        ["Staff list", XLSX.utils.aoa_to_sheet(STAFF)],
        ["Victims", XLSX.utils.aoa_to_sheet(VICTIMS)],
        ["Spare", XLSX.utils.aoa_to_sheet([])],
      ],
      [0, 1, 2, 1]
    );
    save(wb, "hidden_sheets.xlsb");
  },
  // Rows 15-19 hidden, holding victims; column F hidden, holding phone numbers.
  hidden_rows_cols() {
    const rows = WARDS.map((r) => r.slice());
    while (rows.length < 14) rows.push([]);
    for (const v of VICTIMS.slice(1, 6)) rows.push(v);
    const ws = XLSX.utils.aoa_to_sheet(rows);
    for (let r = 0; r < 6; r++) {
      ws[XLSX.utils.encode_cell({ r, c: 5 })] = { t: "s", v: `07700 90011${r}` };
    }
    ws["!ref"] = "A1:F19";
    ws["!rows"] = [];
    for (let r = 14; r <= 18; r++) ws["!rows"][r] = { hidden: true };
    ws["!cols"] = [];
    ws["!cols"][5] = { hidden: true };
    save(book([["Burglary", ws]]), "hidden_rows_cols.xlsb");
  },
  // Rows 21-25 and column E hidden, all empty.
  hidden_empty() {
    const ws = XLSX.utils.aoa_to_sheet(WARDS);
    ws["!rows"] = [];
    for (let r = 20; r <= 24; r++) ws["!rows"][r] = { hidden: true };
    ws["!cols"] = [];
    ws["!cols"][4] = { hidden: true };
    save(book([["Burglary", ws]]), "hidden_empty.xlsb");
  },
  // An AutoFilter range with no filter applied: buttons only, nothing hidden.
  autofilter_off() {
    const ws = XLSX.utils.aoa_to_sheet(WARDS);
    ws["!autofilter"] = { ref: "A1:D6" };
    save(book([["Incidents", ws]]), "autofilter_off.xlsb");
  },
  // A note on B3 naming a victim, by a named author.
  notes() {
    const ws = XLSX.utils.aoa_to_sheet(WARDS);
    ws["B3"].c = [{ a: "Jane Officer", t: "Victim Mary Jones asked not to be named" }];
    ws["B3"].c.hidden = true;
    save(book([["Crime by ward", ws]]), "notes.xlsb");
  },
  // Names in G2:G4 whose number format ;;; shows nothing.
  blank_format() {
    const ws = XLSX.utils.aoa_to_sheet(WARDS);
    const names = ["Mary JONES", "Peter WRIGHT", "Susan CLARKE"];
    names.forEach((n, i) => {
      ws[XLSX.utils.encode_cell({ r: i + 1, c: 6 })] = { t: "s", v: n, z: ";;;" };
    });
    ws["!ref"] = "A1:G6";
    const wb = book([["Wards", ws]]);
    save(wb, "blank_format.xlsb");
  },
  // Author, last modified by, company, manager and a custom property.
  properties() {
    const wb = book([["Crime by ward", XLSX.utils.aoa_to_sheet(WARDS)]]);
    wb.Props = {
      Title: "Crime by ward",
      Author: "Jane Bloggs",
      LastAuthor: "DC Imran Khan",
      Company: "Norfolk Constabulary",
      Manager: "Supt Helen Ward",
    };
    wb.Custprops = { "Case officer": "DC Imran Khan" };
    save(wb, "properties.xlsb");
  },
};

const wanted = process.argv.slice(2);
for (const [name, make] of Object.entries(fixtures)) {
  if (wanted.length === 0 || wanted.includes(name)) make();
}
