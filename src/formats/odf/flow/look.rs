//! How a run of text looks, and whether a reader sees it: its style's hidden flag, font
//! colour against its highlight, paragraph shading or what is drawn behind it, and its
//! size. The classes a run falls in map to rules: hidden text, disguised content, a fake
//! redaction, or text of a tracked deletion.

use crate::formats::odf::styles::{Colour, Rgb, Size, StyleDef, WHITE, close, dark};

/// Why a reader does not see a passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Visible,
    /// Text of a tracked deletion written in the flow (between `text:change-start` and
    /// `text:change-end` of a deletion, as LibreOffice writes deletions in a paragraph).
    Deleted,
    Hidden(Hide),
    Disguised(Disguise),
    Fake(Fake),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hide {
    Section,
    ParagraphStyle,
    CharacterStyle,
    HiddenParagraph,
    HiddenTextField,
    ConditionalText,
    Shape,
    Layer,
    HeaderOff,
}

impl Hide {
    pub fn words(self) -> &'static str {
        match self {
            Hide::Section => "hidden section",
            Hide::ParagraphStyle => "paragraph style set to hidden",
            Hide::CharacterStyle => "character style set to hidden",
            Hide::HiddenParagraph => "hidden-paragraph field",
            Hide::HiddenTextField => "hidden-text field",
            Hide::ConditionalText => "conditional text not shown",
            Hide::Shape => "hidden drawing object",
            Hide::Layer => "drawing layer switched off",
            Hide::HeaderOff => "header or footer switched off",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Disguise {
    ColourLikeBackground,
    TinyFont,
}

impl Disguise {
    pub fn words(self) -> &'static str {
        match self {
            Disguise::ColourLikeBackground => "text coloured like the background behind it",
            Disguise::TinyFont => "text of 1 pt or smaller",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fake {
    DarkHighlight,
    DarkShading,
    ColourLikeHighlight,
}

impl Fake {
    pub fn words(self) -> &'static str {
        match self {
            Fake::DarkHighlight => "black highlight over the text",
            Fake::DarkShading => "black shading behind the text",
            Fake::ColourLikeHighlight => "text coloured like its own highlight",
        }
    }
}

impl Class {
    /// What the passage is, as the detectors name its place ("in hidden {noun}").
    pub fn noun(self) -> &'static str {
        match self {
            Class::Visible => "text",
            Class::Deleted => "tracked deletion",
            Class::Hidden(h) => match h {
                Hide::Section => "section",
                Hide::ParagraphStyle => "paragraph (style set to hidden)",
                Hide::CharacterStyle => "text (character style set to hidden)",
                Hide::HiddenParagraph => "paragraph (hidden-paragraph field)",
                Hide::HiddenTextField => "text field (hidden-text)",
                Hide::ConditionalText => "conditional text",
                Hide::Shape => "drawing object",
                Hide::Layer => "drawing layer",
                Hide::HeaderOff => "header or footer (switched off)",
            },
            Class::Disguised(Disguise::ColourLikeBackground) => {
                "text (coloured like its background)"
            }
            Class::Disguised(Disguise::TinyFont) => "text (1 pt or smaller)",
            Class::Fake(Fake::DarkHighlight) => "text under black highlight",
            Class::Fake(Fake::DarkShading) => "text under black shading",
            Class::Fake(Fake::ColourLikeHighlight) => "text (coloured like its highlight)",
        }
    }

    /// The rule a passage of this class is reported under, and the words for its cause.
    pub fn rule(self) -> Option<(&'static str, &'static str)> {
        match self {
            Class::Visible | Class::Deleted => None,
            Class::Hidden(h) => Some(("hidden-text", h.words())),
            Class::Disguised(d) => Some(("disguised-content", d.words())),
            Class::Fake(f) => Some(("fake-redaction", f.words())),
        }
    }
}

/// What is drawn behind the text: the page, a cell or shape background, or something of
/// no single colour (a picture, a gradient) against which colours cannot be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    Colour(Rgb),
    Unknown,
}

/// The look of a run of text, composed from the paragraph style and enclosing spans.
#[derive(Debug, Clone, Copy)]
pub struct RunFx {
    pub hidden: Option<Hide>,
    pub colour: Colour,
    pub highlight: Option<Rgb>,
    pub shading: Option<Rgb>,
    pub size: f64,
}

impl Default for RunFx {
    fn default() -> Self {
        RunFx {
            hidden: None,
            colour: Colour::Auto,
            highlight: None,
            shading: None,
            size: 12.0,
        }
    }
}

impl RunFx {
    /// This look with a style's properties on top (`paragraph` for a paragraph style).
    pub fn with(mut self, def: &StyleDef, paragraph: bool) -> RunFx {
        if let Some(none) = def.display_none {
            self.hidden = none.then_some(if paragraph {
                Hide::ParagraphStyle
            } else {
                Hide::CharacterStyle
            });
        }
        if let Some(c) = def.colour {
            self.colour = c;
        }
        if let Some(h) = def.highlight {
            self.highlight = h;
        }
        if paragraph && let Some(s) = def.para_bg {
            self.shading = s;
        }
        match def.size {
            Some(Size::Pt(p)) => self.size = p,
            Some(Size::Percent(p)) => self.size = self.size * p / 100.0,
            None => {}
        }
        self
    }

    /// Whether a reader sees text of this look drawn on `ground`.
    pub fn classify(&self, ground: Ground) -> Class {
        if let Some(h) = self.hidden {
            return Class::Hidden(h);
        }
        if self.size > 0.0 && self.size <= 1.0 {
            return Class::Disguised(Disguise::TinyFont);
        }
        let shade = self
            .highlight
            .map(|h| (h, Fake::DarkHighlight))
            .or(self.shading.map(|s| (s, Fake::DarkShading)));
        match (self.colour, shade) {
            (colour, Some((s, kind))) if dark(s) => match colour {
                // Light text on a dark band is styling a reader can see.
                Colour::Rgb(c) if !dark(c) && !close(c, s) => Class::Visible,
                _ => Class::Fake(kind),
            },
            // White on a white band is white text, not a redaction.
            (Colour::Rgb(c), Some((s, _))) if close(c, s) && close(s, WHITE) => {
                Class::Disguised(Disguise::ColourLikeBackground)
            }
            (Colour::Rgb(c), Some((s, _))) if close(c, s) => Class::Fake(Fake::ColourLikeHighlight),
            (Colour::Rgb(c), None) => match ground {
                Ground::Colour(g) if close(c, g) => {
                    Class::Disguised(Disguise::ColourLikeBackground)
                }
                _ => Class::Visible,
            },
            _ => Class::Visible,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fx(colour: Option<Rgb>, highlight: Option<Rgb>) -> RunFx {
        RunFx {
            colour: colour.map(Colour::Rgb).unwrap_or(Colour::Auto),
            highlight,
            ..RunFx::default()
        }
    }

    #[test]
    fn runs_are_classed_like_a_reader_sees_them() {
        let white = Ground::Colour(WHITE);
        assert_eq!(fx(None, None).classify(white), Class::Visible);
        assert_eq!(
            fx(Some(WHITE), None).classify(white),
            Class::Disguised(Disguise::ColourLikeBackground)
        );
        assert_eq!(
            fx(Some(WHITE), None).classify(Ground::Unknown),
            Class::Visible
        );
        assert_eq!(
            fx(Some([0, 0, 0]), Some([0, 0, 0])).classify(white),
            Class::Fake(Fake::DarkHighlight)
        );
        assert_eq!(
            fx(None, Some([0, 0, 0])).classify(white),
            Class::Fake(Fake::DarkHighlight)
        );
        // White on a black band is styling a reader can read.
        assert_eq!(
            fx(Some(WHITE), Some([0, 0, 0])).classify(white),
            Class::Visible
        );
        assert_eq!(
            fx(Some([255, 255, 0]), Some([255, 255, 0])).classify(white),
            Class::Fake(Fake::ColourLikeHighlight)
        );
        assert_eq!(
            fx(Some([0, 0, 0]), Some([255, 255, 0])).classify(white),
            Class::Visible
        );
        assert_eq!(
            fx(Some(WHITE), Some(WHITE)).classify(white),
            Class::Disguised(Disguise::ColourLikeBackground)
        );
        let tiny = RunFx {
            size: 1.0,
            ..RunFx::default()
        };
        assert_eq!(tiny.classify(white), Class::Disguised(Disguise::TinyFont));
        let small = RunFx {
            size: 6.0,
            ..RunFx::default()
        };
        assert_eq!(small.classify(white), Class::Visible);
    }
}
