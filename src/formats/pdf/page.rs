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
}

impl PageRecord {
    pub fn clear(&mut self) {
        self.glyphs.clear();
        self.fills.clear();
        self.full_page_images = 0;
        self.visible_marks = 0;
        self.over_cap = false;
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
fn rects_of(path: &BezPath, out_rects: &mut Vec<Rect>, out_shapes: &mut Vec<Rect>) {
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
                flush(&pts, n, curved, out_rects, out_shapes);
                if let Some(r) = overflow_box.take() {
                    out_shapes.push(r);
                }
                curved = false;
                pts[0] = p;
                n = 1;
            }
            PathEl::LineTo(p) | PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
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
    let nested = out_rects.iter().enumerate().any(|(i, a)| {
        out_rects
            .iter()
            .enumerate()
            .any(|(j, b)| i != j && a.encloses(b))
    });
    if nested {
        out_shapes.extend(out_rects.drain(..));
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
                let path = props.transform * path.clone();
                let mut rects = Vec::new();
                let mut shapes = Vec::new();
                rects_of(&path, &mut rects, &mut shapes);
                for r in rects {
                    self.add_fill(r, lum, opaque, FillKind::Rect);
                }
                for r in shapes {
                    self.add_fill(r, lum, opaque, FillKind::Shape);
                }
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
            let full = Rect::from_points(t * Point::new(0.0, -200.0), t * Point::new(adv, 800.0))
                .union(Rect::from_points(
                    t * Point::new(0.0, 800.0),
                    t * Point::new(adv, -200.0),
                ));
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
                            end: [base.origin[0] + dx * (i + 1.0), base.origin[1] + dy * (i + 1.0)],
                            ..base
                        });
                    }
                }
                None => self.page.glyphs.push(base),
            }
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        let t = props.transform;
        let r = Rect::from_points(t * Point::new(0.0, 0.0), t * Point::new(1.0, 1.0)).union(
            Rect::from_points(t * Point::new(0.0, 1.0), t * Point::new(1.0, 0.0)),
        );
        let r = match self.clip() {
            Some(c) => r.intersect(c),
            None => r,
        };
        if r.width() <= 0.0 || r.height() <= 0.0 {
            return;
        }
        let page_area = self.page_box.area().max(1.0);
        if r.area() >= page_area * 0.6 {
            self.page.full_page_images += 1;
        }
        let opaque = self.opaque(1.0, props.soft_mask.is_some(), props.blend_mode);
        // Darkness matters only where the image lies over text drawn before it: measure the
        // image then, over the part that covers glyphs, and never decode the others.
        let mut lum = -1.0;
        if self.measure_images && opaque {
            let bbox = to_bbox(r);
            let covered = self
                .page
                .glyphs
                .iter()
                .filter(|g| g.ink != Ink::Invisible && super::redaction::covers(&bbox, &g.core))
                .fold(None::<BBox>, |acc, g| {
                    Some(match acc {
                        None => g.core,
                        Some(a) => union(a, g.core),
                    })
                });
            if let Some(area) = covered {
                lum = image_lum(&image, &t, &area);
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
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

/// Largest image (in pixels) decoded to measure its darkness; larger ones are asked for at a
/// lower resolution.
const MEASURE_DIM: u32 = 256;

/// Mean luminance of the part of `image` that lies under `area` (page space), or -1 when it
/// cannot be decoded. Stencil masks paint their fill colour.
fn image_lum(image: &Image<'_, '_>, t: &Affine, area: &BBox) -> f32 {
    let inv = t.inverse();
    if !inv.as_coeffs().iter().all(|c| c.is_finite()) {
        return -1.0;
    }
    // The area in the image's unit square (y up, row 0 at the top).
    let a = inv * Point::new(area[0] as f64, area[1] as f64);
    let b = inv * Point::new(area[2] as f64, area[3] as f64);
    let (u0, u1) = (a.x.min(b.x).clamp(0.0, 1.0), a.x.max(b.x).clamp(0.0, 1.0));
    let (v0, v1) = (a.y.min(b.y).clamp(0.0, 1.0), a.y.max(b.y).clamp(0.0, 1.0));
    let mut out = -1.0f32;
    let sample = |data: &[u8], w: u32, h: u32, channels: usize| -> f32 {
        if w == 0 || h == 0 || data.len() < (w as usize) * (h as usize) * channels {
            return -1.0;
        }
        let x0 = ((u0 * w as f64) as u32).min(w - 1);
        let x1 = ((u1 * w as f64).ceil() as u32).clamp(x0 + 1, w);
        // Row 0 is the top of the image, which is v = 1.
        let y0 = (((1.0 - v1) * h as f64) as u32).min(h - 1);
        let y1 = (((1.0 - v0) * h as f64).ceil() as u32).clamp(y0 + 1, h);
        let mut sum = 0.0f64;
        let mut count = 0u64;
        for y in y0..y1 {
            for x in x0..x1 {
                let i = (y as usize * w as usize + x as usize) * channels;
                let l = if channels == 3 {
                    0.2126 * data[i] as f64 + 0.7152 * data[i + 1] as f64 + 0.0722 * data[i + 2] as f64
                } else {
                    data[i] as f64
                };
                sum += l;
                count += 1;
            }
        }
        if count == 0 {
            -1.0
        } else {
            (sum / count as f64 / 255.0) as f32
        }
    };
    let hint = Some((MEASURE_DIM, MEASURE_DIM));
    match image {
        Image::Raster(raster) => {
            if (raster.width() as u64) * (raster.height() as u64) > 1 << 28 {
                return -1.0;
            }
            raster.with_rgba(
                |data, _alpha| {
                    out = match &data {
                        hayro_interpret::ImageData::Rgb(d) => sample(&d.data, d.width, d.height, 3),
                        hayro_interpret::ImageData::Luma(d) => {
                            sample(&d.data, d.width, d.height, 1)
                        }
                    };
                },
                hint,
            );
        }
        Image::Stencil(stencil) => {
            stencil.with_stencil(
                |mask, paint| {
                    // Where the mask is set the fill colour is painted; elsewhere the page
                    // shows through (counted as white).
                    let coverage = sample(&mask.data, mask.width, mask.height, 1);
                    let (lum, _) = paint_lum(paint);
                    if coverage >= 0.0 && lum >= 0.0 {
                        out = coverage * lum + (1.0 - coverage);
                    }
                },
                hint,
            );
        }
    }
    out
}
