//! One page's content as a reader's eye meets it: every glyph with its box, colour and render
//! mode, and every filled box (rectangles, thick strokes, images), each numbered in drawing
//! order. hayro-interpret runs the content stream (fonts, encodings, form XObjects, clipping,
//! annotation appearances); this module only records what it draws, so later passes can ask
//! "was this glyph painted over?" and "can anyone see this glyph?".
//!
//! Coordinates are PDF user space (points, y up), the space of `bbox` in the SPEC.
//! The recorder keeps flat vectors that are reused from page to page: no allocation per glyph.

use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};
use hayro_interpret::{
    BlendMode, ClipPath, Device, DrawMode, DrawProps, Image, ImageDrawProps, Paint, SoftMask,
};

/// An axis-aligned box `[x0, y0, x1, y1]`, x0 <= x1 and y0 <= y1.
pub type BBox = [f32; 4];

/// How a glyph was painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Fill,
    Stroke,
    /// Render mode 3 (invisible) or 7 (clip only): in the file, never on the page.
    Invisible,
}

/// One glyph (one character of its Unicode text; a ligature gives several).
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    pub ch: char,
    /// The glyph's em box on the page: the advance wide, descender to ascender tall.
    pub bbox: BBox,
    /// The glyph's core (baseline to about cap height, the middle of the advance): what a box
    /// must cover for the glyph to be unreadable. A box over part of a glyph leaves it legible.
    pub core: BBox,
    /// Pen position before and after the glyph, for putting glyphs into words and lines.
    pub origin: [f32; 2],
    pub end: [f32; 2],
    /// Font size on the page (points).
    pub size: f32,
    pub seq: u32,
    pub ink: Ink,
    /// Relative luminance of the fill colour, 0 black to 1 white; negative when unknown
    /// (a pattern).
    pub lum: f32,
    /// Outside the clip in force when it was drawn: nobody can see it.
    pub clipped: bool,
}

/// What a fill is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillKind {
    /// A rectangle (or a thick straight stroke, which paints one).
    Rect,
    /// An image; its darkness is measured only when it covers earlier text.
    Image,
    /// Any other filled shape: a background for text drawn on it, never a redaction box.
    Shape,
}

/// A painted area.
#[derive(Debug, Clone, Copy)]
pub struct Fill {
    pub bbox: BBox,
    pub seq: u32,
    /// Relative luminance of its colour (for images, of the part over the text); negative
    /// when unknown.
    pub lum: f32,
    /// Paints over what is under it: full alpha, normal or darkening blend, no soft mask.
    pub opaque: bool,
    pub kind: FillKind,
}

/// Bounds on what one page may record; past them the page is reported, never half-read.
#[derive(Debug, Clone, Copy)]
pub struct PageCaps {
    pub max_glyphs: usize,
    pub max_fills: usize,
}

/// Everything one page drew.
#[derive(Default)]
pub struct PageRecord {
    pub glyphs: Vec<Glyph>,
    pub fills: Vec<Fill>,
    /// Images that cover most of the page (a scan), by index into `fills`.
    pub full_page_images: usize,
    /// Vector fills and glyphs that are visible, for telling a scanned page from a born-digital
    /// one.
    pub visible_marks: usize,
    pub over_cap: bool,
    /// The page-sized image's luminance, kept when asked for (an OCR page), so the words of the
    /// OCR layer can be checked against black boxes burnt into the scan.
    pub scan: Option<LumaGrid>,
}

impl PageRecord {
    pub fn clear(&mut self) {
        self.glyphs.clear();
        self.fills.clear();
        self.full_page_images = 0;
        self.visible_marks = 0;
        self.over_cap = false;
        self.scan = None;
    }
}

/// An image's luminance at reduced resolution, with the map from page space to its pixels.
pub struct LumaGrid {
    /// Page space to the image's pixel grid (y down), as hayro draws it.
    inv: Affine,
    /// The image's own size in pixels.
    w: f64,
    h: f64,
    /// Luminance samples, `gw` x `gh`, row 0 at the top.
    grid: Vec<u8>,
    gw: u32,
    gh: u32,
}

impl LumaGrid {
    /// Mean luminance (0 to 1) of the image under `area` (page space), or -1 outside it.
    pub fn mean(&self, area: &BBox) -> f32 {
        let a = self.inv * Point::new(area[0] as f64, area[1] as f64);
        let b = self.inv * Point::new(area[2] as f64, area[3] as f64);
        let fx = |x: f64| (x / self.w).clamp(0.0, 1.0) * self.gw as f64;
        let fy = |y: f64| (y / self.h).clamp(0.0, 1.0) * self.gh as f64;
        let (x0, x1) = (fx(a.x.min(b.x)), fx(a.x.max(b.x)));
        let (y0, y1) = (fy(a.y.min(b.y)), fy(a.y.max(b.y)));
        if x1 - x0 <= 0.0 || y1 - y0 <= 0.0 {
            return -1.0;
        }
        let (x0, y0) = ((x0 as u32).min(self.gw - 1), (y0 as u32).min(self.gh - 1));
        let x1 = (x1.ceil() as u32).clamp(x0 + 1, self.gw);
        let y1 = (y1.ceil() as u32).clamp(y0 + 1, self.gh);
        let mut sum = 0u64;
        for y in y0..y1 {
            let row = (y * self.gw) as usize;
            for x in x0..x1 {
                sum += self.grid.get(row + x as usize).copied().unwrap_or(255) as u64;
            }
        }
        sum as f32 / ((x1 - x0) * (y1 - y0)) as f32 / 255.0
    }
}

/// The hayro device that fills a [`PageRecord`].
pub struct Recorder<'r> {
    pub page: &'r mut PageRecord,
    caps: PageCaps,
    page_box: Rect,
    seq: u32,
    clips: Vec<Rect>,
    groups: Vec<(f32, bool)>,
    /// The glyph run drawn last (count and first transform): a fill-and-stroke run is drawn
    /// twice and must be recorded once.
    last_run: (usize, [f64; 6]),
    /// Measures the darkness of an image that covers earlier glyphs.
    pub measure_images: bool,
    /// Keeps the luminance of a page-sized image (see [`PageRecord::scan`]).
    pub keep_scan: bool,
    /// Reused buffers for splitting paths into rectangles.
    scratch_rects: Vec<Rect>,
    scratch_shapes: Vec<Rect>,
}

impl<'r> Recorder<'r> {
    pub fn new(page: &'r mut PageRecord, caps: PageCaps, page_box: Rect) -> Self {
        page.clear();
        Recorder {
            page,
            caps,
            page_box,
            seq: 0,
            clips: Vec::new(),
            groups: Vec::new(),
            last_run: (0, [0.0; 6]),
            measure_images: true,
            keep_scan: false,
            scratch_rects: Vec::new(),
            scratch_shapes: Vec::new(),
        }
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.saturating_add(1);
        self.seq
    }

    fn clip(&self) -> Option<Rect> {
        self.clips.last().copied()
    }

    fn group_alpha(&self) -> (f32, bool) {
        self.groups
            .iter()
            .fold((1.0, false), |(a, m), (o, mask)| (a * o, m || *mask))
    }

    fn opaque(&self, alpha: f32, soft_mask: bool, blend: BlendMode) -> bool {
        let (group, group_mask) = self.group_alpha();
        alpha * group >= 0.95
            && !soft_mask
            && !group_mask
            && matches!(
                blend,
                BlendMode::Normal | BlendMode::Multiply | BlendMode::Darken
            )
    }

    fn add_fill(&mut self, rect: Rect, lum: f32, opaque: bool, kind: FillKind) {
        let rect = match self.clip() {
            Some(c) => rect.intersect(c),
            None => rect,
        };
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return;
        }
        if self.page.fills.len() >= self.caps.max_fills {
            self.page.over_cap = true;
            return;
        }
        let seq = self.next_seq();
        self.page.visible_marks += 1;
        self.page.fills.push(Fill {
            bbox: to_bbox(rect),
            seq,
            lum,
            opaque,
            kind,
        });
    }
}

fn to_bbox(r: Rect) -> BBox {
    [r.x0 as f32, r.y0 as f32, r.x1 as f32, r.y1 as f32]
}

/// Relative luminance (Rec. 709 weights) of a paint, negative when it is not a plain colour.
fn paint_lum(paint: &Paint<'_>) -> (f32, f32) {
    match paint {
        Paint::Color(c) => {
            let [r, g, b, a] = c.to_rgba().components();
            (0.2126 * r + 0.7152 * g + 0.0722 * b, a)
        }
        Paint::Pattern(_) => (-1.0, 1.0),
    }
}

/// The subpaths of a filled path that are axis-aligned rectangles, and the bounding boxes of
/// the others. A rectangle inside another of the same path makes a frame (a hole under the
/// even-odd or non-zero rule), so such paths give no boxes at all.
fn rects_of(path: &BezPath, t: Affine, out_rects: &mut Vec<Rect>, out_shapes: &mut Vec<Rect>) {
    let mut pts: [Point; 6] = [Point::ZERO; 6];
    let mut n = 0usize;
    let mut curved = false;
    let flush = |pts: &[Point; 6],
                 n: usize,
                 curved: bool,
                 out_rects: &mut Vec<Rect>,
                 out_shapes: &mut Vec<Rect>| {
        if n == 0 {
            return;
        }
        let mut k = n;
        // A closing line back to the start adds nothing.
        if k > 1 && pts[k - 1].distance(pts[0]) < 0.01 {
            k -= 1;
        }
        if !curved && k == 4 && is_axis_rect(&pts[..4]) {
            let r = Rect::from_points(pts[0], pts[2]);
            out_rects.push(r);
        } else if n >= 2 {
            let mut r = Rect::from_points(pts[0], pts[0]);
            for p in &pts[..n.min(6)] {
                r = r.union_pt(*p);
            }
            out_shapes.push(r);
        }
    };
    let mut overflow_box: Option<Rect> = None;
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(p) => {
                let p = t * p;
                flush(&pts, n, curved, out_rects, out_shapes);
                if let Some(r) = overflow_box.take() {
                    out_shapes.push(r);
                }
                curved = false;
                pts[0] = p;
                n = 1;
            }
            PathEl::LineTo(p) | PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                let p = t * p;
                if !matches!(el, PathEl::LineTo(_)) {
                    curved = true;
                }
                if n < 6 {
                    pts[n] = p;
                    n += 1;
                } else {
                    // Too many points for a rectangle: track the bounds only.
                    let r = overflow_box.get_or_insert_with(|| {
                        let mut r = Rect::from_points(pts[0], pts[0]);
                        for q in &pts {
                            r = r.union_pt(*q);
                        }
                        r
                    });
                    *r = r.union_pt(p);
                    curved = true;
                }
            }
            PathEl::ClosePath => {}
        }
    }
    if let Some(r) = overflow_box {
        out_shapes.push(r);
    } else {
        flush(&pts, n, curved, out_rects, out_shapes);
    }
    // A subpath inside another (a rectangle with a rectangular or drawn hole) makes a frame
    // under either fill rule: such a path gives no solid boxes.
    let nested = out_rects.iter().enumerate().any(|(i, a)| {
        out_rects
            .iter()
            .enumerate()
            .any(|(j, b)| i != j && a.encloses(b))
            || out_shapes.iter().any(|b| a.encloses(b))
    });
    if nested {
        out_shapes.append(out_rects);
    }
}

trait Encloses {
    fn encloses(&self, other: &Rect) -> bool;
}

impl Encloses for Rect {
    fn encloses(&self, o: &Rect) -> bool {
        self.x0 <= o.x0 + 0.01
            && self.y0 <= o.y0 + 0.01
            && self.x1 >= o.x1 - 0.01
            && self.y1 >= o.y1 - 0.01
            && (self.area() - o.area()).abs() > 0.01
    }
}

fn is_axis_rect(p: &[Point]) -> bool {
    let eq = |a: f64, b: f64| (a - b).abs() < 0.01;
    // Either the first edge is horizontal or vertical; opposite corners share nothing.
    (eq(p[0].y, p[1].y) && eq(p[1].x, p[2].x) && eq(p[2].y, p[3].y) && eq(p[3].x, p[0].x))
        || (eq(p[0].x, p[1].x) && eq(p[1].y, p[2].y) && eq(p[2].x, p[3].x) && eq(p[3].y, p[0].y))
}

impl<'a> Device<'a> for Recorder<'_> {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        let (lum, alpha) = paint_lum(&props.paint);
        let opaque = self.opaque(alpha, props.soft_mask.is_some(), props.blend_mode);
        match draw_mode {
            DrawMode::Fill(_) | DrawMode::FillAndStroke(..) => {
                let mut rects = std::mem::take(&mut self.scratch_rects);
                let mut shapes = std::mem::take(&mut self.scratch_shapes);
                rects.clear();
                shapes.clear();
                rects_of(path, props.transform, &mut rects, &mut shapes);
                for r in &rects {
                    self.add_fill(*r, lum, opaque, FillKind::Rect);
                }
                for r in &shapes {
                    self.add_fill(*r, lum, opaque, FillKind::Shape);
                }
                self.scratch_rects = rects;
                self.scratch_shapes = shapes;
            }
            DrawMode::Stroke(stroke) => {
                // A thick straight line paints a box as surely as a rectangle does (a marker
                // pen drawn across a name).
                let els = path.elements();
                if let [PathEl::MoveTo(a), PathEl::LineTo(b)] = els {
                    let t = props.transform;
                    let (a, b) = (t * *a, t * *b);
                    let scale = (t.determinant().abs()).sqrt();
                    let half = stroke.line_width as f64 * scale / 2.0;
                    if half >= 2.0 {
                        let r = if (a.y - b.y).abs() < 0.01 {
                            Some(Rect::new(
                                a.x.min(b.x),
                                a.y - half,
                                a.x.max(b.x),
                                a.y + half,
                            ))
                        } else if (a.x - b.x).abs() < 0.01 {
                            Some(Rect::new(
                                a.x - half,
                                a.y.min(b.y),
                                a.x + half,
                                a.y.max(b.y),
                            ))
                        } else {
                            None
                        };
                        if let Some(r) = r {
                            self.add_fill(r, lum, opaque, FillKind::Rect);
                        }
                    }
                }
            }
            DrawMode::Invisible => {}
        }
    }

    fn push_clip_path(&mut self, clip_path: &ClipPath) {
        let bbox = clip_path.path.bounding_box();
        let next = match self.clip() {
            Some(c) => c.intersect(bbox),
            None => bbox,
        };
        self.clips.push(next);
    }

    fn push_transparency_group(
        &mut self,
        opacity: f32,
        mask: Option<SoftMask<'a>>,
        _blend_mode: BlendMode,
    ) {
        self.groups.push((opacity, mask.is_some()));
    }

    fn draw_glyph_run(
        &mut self,
        glyph_run: &GlyphRun<'_, 'a>,
        props: DrawProps<'a>,
        draw_mode: &DrawMode,
    ) {
        let glyphs = glyph_run.glyphs();
        let Some(first) = glyphs.first() else {
            return;
        };
        let key = (glyphs.len(), first.transform().as_coeffs());
        let ink = match draw_mode {
            DrawMode::Invisible => Ink::Invisible,
            DrawMode::Stroke(_) => {
                if self.last_run == key {
                    return;
                }
                Ink::Stroke
            }
            _ => Ink::Fill,
        };
        self.last_run = key;
        let (lum, alpha) = paint_lum(&props.paint);
        let ink = if ink != Ink::Invisible && alpha * self.group_alpha().0 < 0.05 {
            Ink::Invisible
        } else {
            ink
        };
        let clip = self.clip();
        for g in glyphs {
            if self.page.glyphs.len() >= self.caps.max_glyphs {
                self.page.over_cap = true;
                return;
            }
            let t: Affine = props.transform * g.transform();
            let adv = match &**g {
                hayro_interpret::font::Glyph::Outline(o) => o.advance_width(),
                hayro_interpret::font::Glyph::Type3(t3) => t3.advance_width(),
            }
            .filter(|a| a.is_finite() && *a > 0.0)
            .unwrap_or(500.0) as f64;
            let o = t * Point::new(0.0, 0.0);
            let e = t * Point::new(adv, 0.0);
            let up = t * Point::new(0.0, 1000.0);
            let size = o.distance(up) as f32;
            let full =
                Rect::from_points(t * Point::new(0.0, -200.0), t * Point::new(adv, 800.0)).union(
                    Rect::from_points(t * Point::new(0.0, 800.0), t * Point::new(adv, -200.0)),
                );
            let core = Rect::from_points(
                t * Point::new(adv * 0.2, 100.0),
                t * Point::new(adv * 0.8, 550.0),
            )
            .union(Rect::from_points(
                t * Point::new(adv * 0.2, 550.0),
                t * Point::new(adv * 0.8, 100.0),
            ));
            let clipped = clip.is_some_and(|c| {
                let i = c.intersect(core);
                i.width() <= 0.0 || i.height() <= 0.0
            });
            let seq = self.next_seq();
            let base = Glyph {
                ch: '\u{FFFD}',
                bbox: to_bbox(full),
                core: to_bbox(core),
                origin: [o.x as f32, o.y as f32],
                end: [e.x as f32, e.y as f32],
                size,
                seq,
                ink,
                lum,
                clipped,
            };
            if ink != Ink::Invisible && !clipped {
                self.page.visible_marks += 1;
            }
            match g.as_unicode() {
                Some(BfString::Char(c)) => self.page.glyphs.push(Glyph { ch: c, ..base }),
                Some(BfString::String(s)) => {
                    // A ligature: share the box out between its characters.
                    let n = s.chars().count().max(1) as f32;
                    let (w, dx, dy) = (
                        (base.bbox[2] - base.bbox[0]) / n,
                        (base.end[0] - base.origin[0]) / n,
                        (base.end[1] - base.origin[1]) / n,
                    );
                    for (i, c) in s.chars().enumerate() {
                        let i = i as f32;
                        let x0 = base.bbox[0] + w * i;
                        let cx0 = base.core[0] + w * i;
                        let cw = (base.core[2] - base.core[0]) / n;
                        self.page.glyphs.push(Glyph {
                            ch: c,
                            bbox: [x0, base.bbox[1], x0 + w, base.bbox[3]],
                            core: [cx0, base.core[1], cx0 + cw, base.core[3]],
                            origin: [base.origin[0] + dx * i, base.origin[1] + dy * i],
                            end: [
                                base.origin[0] + dx * (i + 1.0),
                                base.origin[1] + dy * (i + 1.0),
                            ],
                            ..base
                        });
                    }
                }
                None => self.page.glyphs.push(base),
            }
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        // hayro maps the image's pixel grid (y down) onto the page.
        let t = props.transform;
        let (w, h) = (image.width().max(1) as f64, image.height().max(1) as f64);
        let r = Rect::from_points(t * Point::new(0.0, 0.0), t * Point::new(w, h)).union(
            Rect::from_points(t * Point::new(0.0, h), t * Point::new(w, 0.0)),
        );
        let r = match self.clip() {
            Some(c) => r.intersect(c),
            None => r,
        };
        if r.width() <= 0.0 || r.height() <= 0.0 {
            return;
        }
        let page_area = self.page_box.area().max(1.0);
        let full_page = r.area() >= page_area * 0.6;
        if full_page {
            self.page.full_page_images += 1;
        }
        let opaque = self.opaque(1.0, props.soft_mask.is_some(), props.blend_mode);
        // Darkness matters only where the image lies over text drawn before it: measure the
        // image then, over the part that covers glyphs, and never decode the others.
        let mut lum = -1.0;
        let covered = if self.measure_images && opaque {
            let bbox = to_bbox(r);
            self.page
                .glyphs
                .iter()
                .filter(|g| g.ink != Ink::Invisible && super::redaction::covers(&bbox, &g.core))
                .fold(None::<BBox>, |acc, g| {
                    Some(match acc {
                        None => g.core,
                        Some(a) => union(a, g.core),
                    })
                })
        } else {
            None
        };
        let keep = self.keep_scan && full_page && self.page.scan.is_none();
        if (covered.is_some() || keep)
            && let Some(grid) = luma_grid(&image, &t)
        {
            if let Some(area) = covered {
                lum = grid.mean(&area);
            }
            if keep {
                self.page.scan = Some(grid);
            }
        }
        let kind = FillKind::Image;
        self.add_fill(r, lum, opaque, kind);
    }

    fn pop_clip(&mut self) {
        self.clips.pop();
    }

    fn pop_transparency_group(&mut self) {
        self.groups.pop();
    }
}

pub fn union(a: BBox, b: BBox) -> BBox {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// Most samples kept per side of an image's luminance grid.
const GRID: u32 = 512;
/// Largest image (in pixels) decoded at all.
const MAX_PIXELS: u64 = 1 << 26;

/// Decodes `image` (asking for a reduced resolution where the decoder can give one) into a
/// luminance grid of at most [`GRID`] samples a side. Stencil masks paint their fill colour
/// where set and show the (white) page elsewhere.
fn luma_grid(image: &Image<'_, '_>, t: &Affine) -> Option<LumaGrid> {
    let inv = t.inverse();
    if !inv.as_coeffs().iter().all(|c| c.is_finite()) {
        return None;
    }
    let (w, h) = (image.width(), image.height());
    if w == 0 || h == 0 || (w as u64) * (h as u64) > MAX_PIXELS {
        return None;
    }
    let hint = Some((GRID, GRID));
    let mut out: Option<LumaGrid> = None;
    let mut build = |data: &[u8],
                     alpha: Option<&[u8]>,
                     dw: u32,
                     dh: u32,
                     channels: usize,
                     map: &dyn Fn(u8) -> u8| {
        if dw == 0 || dh == 0 || data.len() < dw as usize * dh as usize * channels {
            return;
        }
        let (gw, gh) = (dw.min(GRID), dh.min(GRID));
        let mut grid = Vec::with_capacity((gw * gh) as usize);
        for gy in 0..gh {
            let sy = (gy as u64 * dh as u64 / gh as u64) as usize;
            for gx in 0..gw {
                let sx = (gx as u64 * dw as u64 / gw as u64) as usize;
                let i = (sy * dw as usize + sx) * channels;
                let l = if channels >= 3 {
                    (0.2126 * data[i] as f32
                        + 0.7152 * data[i + 1] as f32
                        + 0.0722 * data[i + 2] as f32) as u8
                } else {
                    data[i]
                };
                // Transparent parts of an image show the (white) page under them.
                let l = match alpha.and_then(|a| a.get(sy * dw as usize + sx)) {
                    Some(&a) => ((l as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8,
                    None => l,
                };
                grid.push(map(l));
            }
        }
        out = Some(LumaGrid {
            inv,
            w: w as f64,
            h: h as f64,
            grid,
            gw,
            gh,
        });
    };
    match image {
        Image::Raster(raster) => raster.with_rgba(
            |data, alpha| {
                // The alpha channel must be on the same grid as the colours to be used.
                let alpha = alpha
                    .as_ref()
                    .filter(|a| a.width == data.width() && a.height == data.height())
                    .map(|a| a.data.as_slice());
                match &data {
                    hayro_interpret::ImageData::Rgb(d) => {
                        build(&d.data, alpha, d.width, d.height, 3, &|l| l)
                    }
                    hayro_interpret::ImageData::Luma(d) => {
                        build(&d.data, alpha, d.width, d.height, 1, &|l| l)
                    }
                }
            },
            hint,
        ),
        Image::Stencil(stencil) => stencil.with_stencil(
            |mask, paint| {
                let (lum, _) = paint_lum(paint);
                if lum >= 0.0 {
                    let ink = (lum * 255.0) as u8;
                    // Coverage 255 paints the colour; 0 leaves the page white.
                    let mix = move |c: u8| {
                        let c = c as u32;
                        ((c * ink as u32 + (255 - c) * 255) / 255) as u8
                    };
                    build(&mask.data, None, mask.width, mask.height, 1, &mix);
                }
            },
            hint,
        ),
    }
    out
}
