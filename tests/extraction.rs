#[path = "../corpus/fixtures.rs"]
mod fixtures;
mod common;
use foiguard::Limits;

#[test]
#[ignore]
fn explore_fuzz() {
    let d = Limits::default();
    let mut s: u64 = 99;
    let mut rnd = move || { s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (s >> 33) as usize };
    let mut panics = Vec::new();
    let mut n = 0;
    for (name, bytes) in fixtures::all_fixtures() {
        if !bytes.starts_with(b"PK") || name == "truncated_xlsx" { continue; }
        let names: Vec<String> = {
            let a = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
            a.file_names().flatten().map(|x| x.to_string()).collect()
        };
        for _ in 0..60 {
            let part = &names[rnd() % names.len()];
            let mut p = fixtures::Pkg::open(&bytes);
            let mut data = {
                let mut a = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
                let mut f = a.by_name(part).unwrap();
                let mut v = Vec::new(); std::io::Read::read_to_end(&mut f, &mut v).unwrap(); v
            };
            if data.is_empty() { continue; }
            match rnd() % 4 {
                0 => { let l = rnd() % data.len(); data.truncate(l); }
                1 => { for _ in 0..(1 + rnd() % 8) { let i = rnd() % data.len(); let pool: &[u8] = b"<>\"'&=/ 0-9aZ\x00\xff;#x"; data[i] = pool[rnd() % pool.len()]; } }
                2 => { let i = rnd() % data.len(); let j = rnd() % data.len(); let (a,b) = (i.min(j), i.max(j)); data.drain(a..b); }
                _ => { let i = rnd() % data.len(); let ins: &[u8] = [&b"<row r=\"4294967295\">"[..], b"<c r=\"XFD99999999\" t=\"s\"><v>99999999</v></c>", b"&#xFFFFFF;", b"<x v=\"-1\"/>", b"<pt idx=\"4294967295\">", b"]]>", b"<![CDATA["][rnd() % 7]; data.splice(i..i, ins.iter().copied()); }
            }
            p.set(part, data);
            let m = p.finish();
            n += 1;
            let (_, f, _) = common::scan_with(&m, &d, true);
            for x in &f { if x.message.contains("parser failed") { panics.push(format!("{name} {part}: {}", x.message)); } }
        }
    }
    println!("{n} mutants; panics: {panics:#?}");
}
