//! The document's text and formatting, joined: for each character, its text unit from the
//! piece table and its effective character properties (paragraph style, character style,
//! direct formatting from the CHPX pages, then the piece's own modifier); for each
//! paragraph mark, its paragraph properties (PAPX pages, huge PAPX in the `Data` stream,
//! the piece's modifier). Looked up as the text is read in order, with the last piece and
//! the last paragraph remembered, and each distinct set of properties resolved once.

use super::fkp::Runs;
use super::flow::{CellBackground, Props};
use super::le::{u16_at, u32_at};
use super::pieces::Piece;
use super::sprm::{self, Chp, Pap, Prl, Rgb};
use super::styles::Styles;
use std::collections::HashMap;

pub struct Document<'a> {
    pub text: Vec<u16>,
    pub pieces: Vec<Piece>,
    pub prcs: Vec<Vec<u8>>,
    pub chpx: Runs,
    pub papx: Runs,
    pub styles: Styles,
    pub data: Option<&'a [u8]>,
    /// CPs of the paragraph marks (`\r`, and the cell and row marks `\x07`).
    marks: Vec<u32>,
    paps: HashMap<u32, Pap>,
    /// Cell shading of each table row, by the CP of its row-end mark.
    rows: HashMap<u32, Row>,
    /// The last row looked up: (first CP asked, its row-end mark).
    last_row: Option<(u32, u32)>,
    chps: HashMap<(u16, u32, u16), (Chp, Chp)>,
    last_piece: usize,
    /// Characters of text (not control characters) no CHPX run covers.
    pub unformatted: u64,
    /// Characters of pieces whose modifier names a property group the piece table does not
    /// have.
    pub unknown_prm: u64,
}

const NO_RUN: u32 = u32::MAX;
/// Most paragraph marks looked at to find the end of a table row.
const MAX_ROW_SEARCH: usize = 4096;

/// The shading of a table row's cells, from its row-end paragraph's table properties.
#[derive(Debug, Default, Clone)]
struct Row {
    /// Each cell's background (`None`: no shading).
    cells: Vec<Option<Rgb>>,
    /// The table has a table style, which may shade cells the row does not.
    styled: bool,
}

impl Row {
    fn read(grpprl: &[u8], row: &mut Row) {
        for p in sprm::iter(grpprl) {
            // sprmTDefTableShd80 (Shd80 per cell); sprmTDefTableShd, its 2nd and 3rd
            // parts (cells from 22 and 44), and their "raw" forms (Shd per cell).
            let (start, size) = match p.sprm {
                0xD609 => (0, 2),
                0xD612 | 0xD670 => (0, 10),
                0xD616 | 0xD671 => (22, 10),
                0xD60C | 0xD672 => (44, 10),
                0x563A => {
                    row.styled = true;
                    continue;
                }
                _ => continue,
            };
            for (i, chunk) in p.operand.chunks_exact(size).enumerate().take(64) {
                let colour = if size == 2 {
                    sprm::shd80(u16_at(chunk, 0).unwrap_or(0))
                } else {
                    sprm::shd(chunk)
                };
                let at = start + i;
                if row.cells.len() <= at {
                    row.cells.resize(at + 1, None);
                }
                row.cells[at] = colour;
            }
        }
    }
}

impl<'a> Document<'a> {
    pub fn new(
        text: Vec<u16>,
        pieces: Vec<Piece>,
        prcs: Vec<Vec<u8>>,
        chpx: Runs,
        papx: Runs,
        styles: Styles,
        data: Option<&'a [u8]>,
    ) -> Self {
        let marks = text
            .iter()
            .enumerate()
            .filter(|(_, u)| matches!(**u, 0x0D | 0x07))
            .map(|(i, _)| i as u32)
            .collect();
        Document {
            text,
            pieces,
            prcs,
            chpx,
            papx,
            styles,
            data,
            marks,
            paps: HashMap::new(),
            rows: HashMap::new(),
            last_row: None,
            chps: HashMap::new(),
            last_piece: 0,
            unformatted: 0,
            unknown_prm: 0,
        }
    }

    fn piece(&mut self, cp: u32) -> Option<Piece> {
        let hit = |p: &Piece| p.cp_start <= cp && cp < p.cp_end;
        if let Some(p) = self.pieces.get(self.last_piece).filter(|p| hit(p)) {
            return Some(*p);
        }
        if let Some(p) = self.pieces.get(self.last_piece + 1).filter(|p| hit(p)) {
            self.last_piece += 1;
            return Some(*p);
        }
        let i = self.pieces.partition_point(|p| p.cp_end <= cp);
        let p = *self.pieces.get(i).filter(|p| hit(p))?;
        self.last_piece = i;
        Some(p)
    }

    /// The sprms a piece's modifier stands for: a single one (`Prm0`) or a property group
    /// of the piece table (`Prm1`).
    fn prm_apply(&self, prm: u16, mut f: impl FnMut(&Prl<'_>)) -> bool {
        if prm & 1 == 0 {
            let isprm = ((prm >> 1) & 0x7F) as u8;
            let val = [(prm >> 8) as u8];
            if isprm == 0 && val[0] == 0 {
                return true;
            }
            if let Some(sprm) = sprm::prm0_sprm(isprm) {
                f(&Prl {
                    sprm,
                    operand: &val,
                });
            }
            true
        } else if let Some(g) = self.prcs.get((prm >> 1) as usize) {
            for p in sprm::iter(g) {
                f(&p);
            }
            true
        } else {
            false
        }
    }

    /// The paragraph style of the paragraph holding `cp`, and its properties.
    fn pap_for(&mut self, cp: u32) -> Pap {
        let i = self.marks.partition_point(|&m| m < cp);
        match self.marks.get(i).copied() {
            Some(mark) => self.pap_at(mark),
            None => Pap::default(),
        }
    }

    /// Character properties of `cp`: (effective, what the styles alone give).
    fn chp_pair(&mut self, cp: u32) -> Option<(u16, Chp, Chp)> {
        let unit = *self.text.get(cp as usize)?;
        let piece = self.piece(cp)?;
        let fc = piece.fc_of(cp);
        let run = self.chpx.at(fc).map_or(NO_RUN, |r| r.props);
        if run == NO_RUN && unit >= 0x20 {
            self.unformatted += 1;
        }
        if piece.prm & 1 == 1 && self.prcs.get((piece.prm >> 1) as usize).is_none() {
            self.unknown_prm += 1;
        }
        let istd = self.pap_for(cp).istd;
        let key = (istd, run, piece.prm);
        if let Some((chp, style)) = self.chps.get(&key) {
            return Some((unit, *chp, *style));
        }
        let grpprl: &[u8] = self
            .chpx
            .grpprls
            .get(run as usize)
            .map_or(&[][..], |g| g.as_slice());
        let mut style = self.styles.chp(istd);
        style.istd = 10;
        if let Some(cs) = sprm::iter(grpprl)
            .filter(|p| p.sprm == sprm::SPRM_CISTD)
            .map(|p| p.word())
            .last()
            && self.styles.is_character(cs)
        {
            self.styles.apply_character_style(cs, &mut style);
        }
        let mut chp = style;
        chp.apply_all(grpprl, &style);
        let base = style;
        let _ = self.prm_apply(piece.prm, |p| chp.apply(p, &base));
        self.chps.insert(key, (chp, style));
        Some((unit, chp, style))
    }
}

impl Props for Document<'_> {
    fn char_at(&mut self, cp: u32) -> Option<(u16, Chp)> {
        self.chp_pair(cp).map(|(u, c, _)| (u, c))
    }

    fn pap_at(&mut self, cp: u32) -> Pap {
        if let Some(p) = self.paps.get(&cp) {
            return *p;
        }
        let mut pap = Pap::default();
        if let Some(piece) = self.piece(cp) {
            if let Some(run) = self.papx.at(piece.fc_of(cp)).copied() {
                pap.istd = run.istd;
                if let Some(g) = self.papx.grpprls.get(run.props as usize) {
                    pap.apply_all(g);
                    if pap.ttp && self.rows.len() < 1 << 16 {
                        let mut row = Row::default();
                        Row::read(g, &mut row);
                        self.rows.insert(cp, row);
                    }
                    // sprmPHugePapx: the properties are in the Data stream.
                    if let Some(at) = sprm::iter(g).find(|p| p.sprm == 0x6646).map(|p| p.long())
                        && let Some(data) = self.data
                        && let Some(cb) = u16_at(data, at as usize)
                        && let Some(huge) = data.get(at as usize + 2..at as usize + 2 + cb as usize)
                    {
                        pap.apply_all(huge);
                    }
                }
            }
            let mut p2 = pap;
            let _ = self.prm_apply(piece.prm, |p| p2.apply(p));
            pap = p2;
        }
        if self.paps.len() < 1 << 20 {
            self.paps.insert(cp, pap);
        }
        pap
    }

    fn para_shading(&mut self, cp: u32) -> Option<Rgb> {
        self.pap_for(cp).shading
    }

    fn cell_background(&mut self, cp: u32, col: u32) -> CellBackground {
        let depth = self.pap_for(cp).depth();
        if depth == 0 {
            return CellBackground::None;
        }
        if depth > 1 {
            return CellBackground::Unknown;
        }
        let ttp = match self.last_row {
            Some((from, ttp)) if from <= cp && cp <= ttp => Some(ttp),
            _ => {
                let first = self.marks.partition_point(|&m| m < cp);
                let candidates: Vec<u32> = self
                    .marks
                    .iter()
                    .skip(first)
                    .take(MAX_ROW_SEARCH)
                    .copied()
                    .collect();
                let found = candidates
                    .into_iter()
                    .find(|&m| self.text.get(m as usize) == Some(&0x07) && self.pap_at(m).ttp);
                if let Some(t) = found {
                    self.last_row = Some((cp, t));
                }
                found
            }
        };
        let Some(row) = ttp.and_then(|t| self.rows.get(&t)) else {
            return CellBackground::Unknown;
        };
        match row.cells.get(col as usize) {
            Some(Some(c)) => CellBackground::Known(*c),
            _ if row.styled => CellBackground::Unknown,
            _ => CellBackground::None,
        }
    }

    fn hidden_via(&mut self, cp: u32) -> Option<String> {
        let (_, chp, style) = self.chp_pair(cp)?;
        if !chp.hidden() || !style.hidden() {
            return None;
        }
        let piece = self.piece(cp)?;
        let run = self.chpx.at(piece.fc_of(cp)).map_or(NO_RUN, |r| r.props);
        let cs = self
            .chpx
            .grpprls
            .get(run as usize)
            .and_then(|g| {
                sprm::iter(g)
                    .filter(|p| p.sprm == sprm::SPRM_CISTD)
                    .map(|p| p.word())
                    .last()
            })
            .filter(|&cs| self.styles.is_character(cs) && self.styles.chp(cs).hidden());
        let istd = cs.unwrap_or_else(|| self.pap_for(cp).istd);
        Some(
            self.styles
                .name(istd)
                .map_or_else(|| format!("style {istd}"), str::to_string),
        )
    }
}

/// A PLC's CPs (n+1 of them before n data elements of `cb_data` bytes).
pub fn plc_cps(plc: &[u8], cb_data: usize) -> (Vec<u32>, usize) {
    if plc.len() < 4 {
        return (Vec::new(), 0);
    }
    let n = (plc.len() - 4) / (4 + cb_data);
    let cps = (0..=n).filter_map(|i| u32_at(plc, i * 4)).collect();
    (cps, n)
}
