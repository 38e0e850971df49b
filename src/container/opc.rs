//! Office packages (xlsx, xlsm, xlsb, docx, pptx) read the way Office reads them: the Open
//! Packaging Conventions. A package may name its parts anything; what a part IS comes from
//! the package itself:
//! - `_rels/.rels` names the main part; every part's `_rels/NAME.rels` names the parts it
//!   uses, with targets relative to the source part (or absolute from the root);
//! - `[Content_Types].xml` gives each part's content type (`Override` by part name, else
//!   `Default` by extension).
//!
//! [`Opc::open`] follows every relationship from the root and gives each part a
//! [`PartKind`] from its content type, or from the relationship that reaches it when the
//! content type is generic. Format inspectors ask for parts by kind, never by path or file
//! name. Parts that no relationship reaches are orphans. A [`Ledger`] records what became
//! of every part, so that none is skipped silently.

use crate::container::ledger::{Ledger, PartState};
use crate::container::zip::{Package, resolve_target};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::xml::{XmlReader, attr, for_each_element, local};
use std::collections::{HashMap, HashSet, VecDeque};

/// One relationship, with its target resolved to a part name unless it is external.
#[derive(Debug, Clone)]
pub struct Rel {
    pub id: String,
    /// Last path segment of the type URI, e.g. `worksheet`, `comments`, `externalLinkPath`
    /// (the same in the transitional and strict namespaces).
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// What a part is. One list for every OOXML format, from content types and relationship
/// types; the formats choose their inspectors by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartKind {
    // Package-wide.
    CoreProperties,
    AppProperties,
    CustomProperties,
    CustomXml,
    CustomXmlProperties,
    Thumbnail,
    Image,
    Media,
    Font,
    Theme,
    ThemeOverride,
    PrinterSettings,
    VbaProject,
    VbaProjectSignature,
    VbaData,
    OleObject,
    EmbeddedPackage,
    ActiveX,
    ActiveXBinary,
    DigitalSignature,
    DigitalSignatureOrigin,
    WebExtension,
    // DrawingML, shared by the three formats.
    Drawing,
    VmlDrawing,
    Chart,
    ChartUserShapes,
    ChartStyle,
    ChartColors,
    /// SmartArt layout, style and colour definitions (no user text of their own).
    Diagram,
    /// SmartArt data: the text a reader sees in the diagram.
    DiagramData,
    /// SmartArt drawing: PowerPoint's and Word's cached rendering of the diagram data.
    DiagramDrawing,
    // SpreadsheetML.
    Workbook,
    Worksheet,
    Chartsheet,
    Dialogsheet,
    Macrosheet,
    SharedStrings,
    Styles,
    Comments,
    ThreadedComments,
    Persons,
    Table,
    PivotTable,
    PivotCacheDefinition,
    PivotCacheRecords,
    QueryTable,
    Connections,
    ExternalLink,
    CalcChain,
    RevisionHeaders,
    RevisionLog,
    UserNames,
    SheetMetadata,
    VolatileDependencies,
    DataModel,
    Slicer,
    SlicerCache,
    Timeline,
    TimelineCache,
    ControlProperties,
    RichData,
    /// A sheet's custom property (`customPr`): a binary blob an add-in stores.
    SheetCustomProperty,
    TableSingleCells,
    /// XML maps: the schemas of XML data mapped onto cells.
    XmlMaps,
    /// Sensitivity labels (Microsoft Purview): label ids, sometimes names.
    ClassificationLabels,
    // WordprocessingML.
    Document,
    GlossaryDocument,
    WordStyles,
    /// Word 2010's copy of the styles with text effects (`stylesWithEffects.xml`), kept for
    /// older versions: style definitions only.
    StylesWithEffects,
    Numbering,
    Settings,
    WebSettings,
    FontTable,
    Header,
    Footer,
    Footnotes,
    Endnotes,
    WordComments,
    CommentsExtended,
    CommentsIds,
    CommentsExtensible,
    People,
    /// Word's keyboard and toolbar customisations (`customizations.xml`, `attachedToolbars.bin`).
    WordCustomizations,
    /// `w:altChunk` content imported into the document when Word opens it (HTML, RTF,
    /// plain text or a whole docx).
    AltChunk,
    // PresentationML.
    Presentation,
    Slide,
    SlideLayout,
    SlideMaster,
    NotesSlide,
    NotesMaster,
    HandoutMaster,
    PresentationProperties,
    ViewProperties,
    TableStyles,
    CommentAuthors,
    SlideComments,
    ModernComments,
    Authors,
    Tags,
    /// PowerPoint's record of revision ids (`revisionInfo.xml`).
    RevisionInfo,
    // Anything else.
    Unknown,
}

impl PartKind {
    /// Kinds known to carry no user text: pictures, fonts, printer settings, themes and
    /// styles of charts. Everything else is inspected or scanned; this list is the only way
    /// a part is left unread, so it stays short and explicit.
    pub fn holds_no_text(self) -> bool {
        matches!(
            self,
            PartKind::Thumbnail
                | PartKind::Image
                | PartKind::Media
                | PartKind::Font
                | PartKind::Theme
                | PartKind::ThemeOverride
                | PartKind::PrinterSettings
                | PartKind::ChartStyle
                | PartKind::ChartColors
                | PartKind::CalcChain
                | PartKind::VbaProjectSignature
                | PartKind::CustomXmlProperties
                // Word's and PowerPoint's layout settings: style and font names, view
                // and print settings, no text of the document.
                | PartKind::StylesWithEffects
                | PartKind::FontTable
                | PartKind::WebSettings
                | PartKind::ViewProperties
                | PartKind::PresentationProperties
                | PartKind::TableStyles
        )
    }
}

/// Content types that say what a part is, whatever its name.
#[rustfmt::skip]
const CONTENT_TYPES: &[(&str, PartKind)] = &[
    // Package.
    ("application/vnd.openxmlformats-package.core-properties+xml", PartKind::CoreProperties),
    ("application/vnd.openxmlformats-officedocument.extended-properties+xml", PartKind::AppProperties),
    ("application/vnd.openxmlformats-officedocument.custom-properties+xml", PartKind::CustomProperties),
    ("application/vnd.openxmlformats-officedocument.customXmlProperties+xml", PartKind::CustomXmlProperties),
    ("application/vnd.openxmlformats-officedocument.theme+xml", PartKind::Theme),
    ("application/vnd.openxmlformats-officedocument.themeOverride+xml", PartKind::ThemeOverride),
    ("application/vnd.ms-office.vbaProject", PartKind::VbaProject),
    ("application/vnd.ms-office.vbaProjectSignature", PartKind::VbaProjectSignature),
    ("application/vnd.ms-office.vbaProjectSignatureAgile", PartKind::VbaProjectSignature),
    ("application/vnd.ms-office.vbaProjectSignatureV3", PartKind::VbaProjectSignature),
    ("application/vnd.ms-word.vbaData+xml", PartKind::VbaData),
    ("application/vnd.openxmlformats-officedocument.oleObject", PartKind::OleObject),
    ("application/vnd.ms-office.activeX+xml", PartKind::ActiveX),
    ("application/vnd.ms-office.activeX", PartKind::ActiveXBinary),
    ("application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml", PartKind::DigitalSignature),
    ("application/vnd.openxmlformats-package.digital-signature-origin", PartKind::DigitalSignatureOrigin),
    ("application/vnd.ms-office.webextension+xml", PartKind::WebExtension),
    ("application/vnd.ms-office.webextensiontaskpanes+xml", PartKind::WebExtension),
    ("application/vnd.openxmlformats-officedocument.obfuscatedFont", PartKind::Font),
    ("application/x-fontdata", PartKind::Font),
    ("application/x-font-ttf", PartKind::Font),
    ("application/vnd.ms-opentype", PartKind::Font),
    // DrawingML.
    ("application/vnd.openxmlformats-officedocument.drawing+xml", PartKind::Drawing),
    ("application/vnd.openxmlformats-officedocument.vmlDrawing", PartKind::VmlDrawing),
    ("application/vnd.openxmlformats-officedocument.drawingml.chart+xml", PartKind::Chart),
    ("application/vnd.openxmlformats-officedocument.drawingml.chartshapes+xml", PartKind::ChartUserShapes),
    ("application/vnd.ms-office.chartstyle+xml", PartKind::ChartStyle),
    ("application/vnd.ms-office.chartcolorstyle+xml", PartKind::ChartColors),
    ("application/vnd.ms-office.chartex+xml", PartKind::Chart),
    ("application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml", PartKind::DiagramData),
    ("application/vnd.openxmlformats-officedocument.drawingml.diagramLayout+xml", PartKind::Diagram),
    ("application/vnd.openxmlformats-officedocument.drawingml.diagramStyle+xml", PartKind::Diagram),
    ("application/vnd.openxmlformats-officedocument.drawingml.diagramColors+xml", PartKind::Diagram),
    ("application/vnd.ms-office.drawingml.diagramDrawing+xml", PartKind::DiagramDrawing),
    // SpreadsheetML.
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", PartKind::Workbook),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", PartKind::Workbook),
    ("application/vnd.ms-excel.sheet.macroEnabled.main+xml", PartKind::Workbook),
    ("application/vnd.ms-excel.template.macroEnabled.main+xml", PartKind::Workbook),
    ("application/vnd.ms-excel.addin.macroEnabled.main+xml", PartKind::Workbook),
    ("application/vnd.ms-excel.sheet.binary.macroEnabled.main", PartKind::Workbook),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml", PartKind::Worksheet),
    ("application/vnd.ms-excel.worksheet", PartKind::Worksheet),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml", PartKind::Chartsheet),
    ("application/vnd.ms-excel.chartsheet", PartKind::Chartsheet),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml", PartKind::Dialogsheet),
    ("application/vnd.ms-excel.dialogsheet", PartKind::Dialogsheet),
    ("application/vnd.ms-excel.macrosheet+xml", PartKind::Macrosheet),
    ("application/vnd.ms-excel.intlmacrosheet+xml", PartKind::Macrosheet),
    ("application/vnd.ms-excel.macrosheet", PartKind::Macrosheet),
    ("application/vnd.ms-excel.intlmacrosheet", PartKind::Macrosheet),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml", PartKind::SharedStrings),
    ("application/vnd.ms-excel.sharedStrings", PartKind::SharedStrings),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml", PartKind::Styles),
    ("application/vnd.ms-excel.styles", PartKind::Styles),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml", PartKind::Comments),
    ("application/vnd.ms-excel.comments", PartKind::Comments),
    ("application/vnd.ms-excel.threadedcomments+xml", PartKind::ThreadedComments),
    ("application/vnd.ms-excel.person+xml", PartKind::Persons),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml", PartKind::Table),
    ("application/vnd.ms-excel.table", PartKind::Table),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml", PartKind::PivotTable),
    ("application/vnd.ms-excel.pivotTable", PartKind::PivotTable),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml", PartKind::PivotCacheDefinition),
    ("application/vnd.ms-excel.pivotCacheDefinition", PartKind::PivotCacheDefinition),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheRecords+xml", PartKind::PivotCacheRecords),
    ("application/vnd.ms-excel.pivotCacheRecords", PartKind::PivotCacheRecords),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.queryTable+xml", PartKind::QueryTable),
    ("application/vnd.ms-excel.queryTable", PartKind::QueryTable),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml", PartKind::Connections),
    ("application/vnd.ms-excel.connections", PartKind::Connections),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml", PartKind::ExternalLink),
    ("application/vnd.ms-excel.externalLink", PartKind::ExternalLink),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml", PartKind::CalcChain),
    ("application/vnd.ms-excel.calcChain", PartKind::CalcChain),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.revisionHeaders+xml", PartKind::RevisionHeaders),
    ("application/vnd.ms-excel.revisionHeaders", PartKind::RevisionHeaders),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.revisionLog+xml", PartKind::RevisionLog),
    ("application/vnd.ms-excel.revisionLog", PartKind::RevisionLog),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.userNames+xml", PartKind::UserNames),
    ("application/vnd.ms-excel.userNames", PartKind::UserNames),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml", PartKind::SheetMetadata),
    ("application/vnd.ms-excel.sheetMetadata", PartKind::SheetMetadata),
    ("application/vnd.ms-excel.volatileDependencies", PartKind::VolatileDependencies),
    ("application/vnd.ms-excel.tableSingleCells", PartKind::TableSingleCells),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.volatileDependencies+xml", PartKind::VolatileDependencies),
    ("application/vnd.openxmlformats-officedocument.model+data", PartKind::DataModel),
    ("application/vnd.ms-excel.slicer+xml", PartKind::Slicer),
    ("application/vnd.ms-excel.slicerCache+xml", PartKind::SlicerCache),
    ("application/vnd.ms-excel.timeline+xml", PartKind::Timeline),
    ("application/vnd.ms-excel.timelineCache+xml", PartKind::TimelineCache),
    ("application/vnd.ms-excel.controlproperties+xml", PartKind::ControlProperties),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.customProperty", PartKind::SheetCustomProperty),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.tableSingleCells+xml", PartKind::TableSingleCells),
    ("application/vnd.ms-excel.richvaluerel+xml", PartKind::RichData),
    ("application/vnd.ms-office.classificationlabels+xml", PartKind::ClassificationLabels),
    ("application/vnd.ms-excel.rdrichvalue+xml", PartKind::RichData),
    ("application/vnd.ms-excel.rdrichvaluestructure+xml", PartKind::RichData),
    ("application/vnd.ms-excel.rdrichvaluetypes+xml", PartKind::RichData),
    ("application/vnd.ms-excel.rdarray+xml", PartKind::RichData),
    ("application/vnd.ms-excel.rdsupportingpropertybag+xml", PartKind::RichData),
    ("application/vnd.ms-excel.rdsupportingpropertybagstructure+xml", PartKind::RichData),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings", PartKind::PrinterSettings),
    // WordprocessingML.
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", PartKind::Document),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", PartKind::Document),
    ("application/vnd.ms-word.document.macroEnabled.main+xml", PartKind::Document),
    ("application/vnd.ms-word.template.macroEnabledTemplate.main+xml", PartKind::Document),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml", PartKind::GlossaryDocument),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml", PartKind::WordStyles),
    ("application/vnd.ms-word.stylesWithEffects+xml", PartKind::StylesWithEffects),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.stylesWithEffects+xml", PartKind::StylesWithEffects),
    ("application/vnd.ms-word.keyMapCustomizations+xml", PartKind::WordCustomizations),
    ("application/vnd.ms-word.attachedToolbars", PartKind::WordCustomizations),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml", PartKind::Numbering),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml", PartKind::Settings),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml", PartKind::WebSettings),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml", PartKind::FontTable),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml", PartKind::Header),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml", PartKind::Footer),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", PartKind::Footnotes),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml", PartKind::Endnotes),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml", PartKind::WordComments),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml", PartKind::CommentsExtended),
    ("application/vnd.ms-word.commentsExtended+xml", PartKind::CommentsExtended),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.commentsIds+xml", PartKind::CommentsIds),
    ("application/vnd.ms-word.commentsIds+xml", PartKind::CommentsIds),
    ("application/vnd.ms-word.commentsExtensible+xml", PartKind::CommentsExtensible),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml", PartKind::People),
    ("application/vnd.ms-word.people+xml", PartKind::People),
    // PresentationML.
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", PartKind::Presentation),
    ("application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml", PartKind::Presentation),
    ("application/vnd.openxmlformats-officedocument.presentationml.template.main+xml", PartKind::Presentation),
    ("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", PartKind::Presentation),
    ("application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml", PartKind::Presentation),
    ("application/vnd.ms-powerpoint.template.macroEnabled.main+xml", PartKind::Presentation),
    ("application/vnd.openxmlformats-officedocument.presentationml.slide+xml", PartKind::Slide),
    ("application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml", PartKind::SlideLayout),
    ("application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml", PartKind::SlideMaster),
    ("application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml", PartKind::NotesSlide),
    ("application/vnd.openxmlformats-officedocument.presentationml.notesMaster+xml", PartKind::NotesMaster),
    ("application/vnd.openxmlformats-officedocument.presentationml.handoutMaster+xml", PartKind::HandoutMaster),
    ("application/vnd.openxmlformats-officedocument.presentationml.presProps+xml", PartKind::PresentationProperties),
    ("application/vnd.openxmlformats-officedocument.presentationml.viewProps+xml", PartKind::ViewProperties),
    ("application/vnd.openxmlformats-officedocument.presentationml.tableStyles+xml", PartKind::TableStyles),
    ("application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml", PartKind::CommentAuthors),
    ("application/vnd.openxmlformats-officedocument.presentationml.comments+xml", PartKind::SlideComments),
    ("application/vnd.ms-powerpoint.comments+xml", PartKind::ModernComments),
    ("application/vnd.ms-powerpoint.authors+xml", PartKind::Authors),
    ("application/vnd.openxmlformats-officedocument.presentationml.tags+xml", PartKind::Tags),
    ("application/vnd.ms-powerpoint.revisioninfo+xml", PartKind::RevisionInfo),
];

/// Relationship types (last segment of the type URI) that say what their target is when
/// its content type does not (generic `application/xml`, `image/png`, an embedded file's
/// own type, or none declared).
#[rustfmt::skip]
const REL_TYPES: &[(&str, PartKind)] = &[
    ("core-properties", PartKind::CoreProperties),
    ("extended-properties", PartKind::AppProperties),
    ("custom-properties", PartKind::CustomProperties),
    ("customXml", PartKind::CustomXml),
    ("customXmlProps", PartKind::CustomXmlProperties),
    ("thumbnail", PartKind::Thumbnail),
    ("image", PartKind::Image),
    ("audio", PartKind::Media),
    ("video", PartKind::Media),
    ("media", PartKind::Media),
    ("font", PartKind::Font),
    ("theme", PartKind::Theme),
    ("themeOverride", PartKind::ThemeOverride),
    ("printerSettings", PartKind::PrinterSettings),
    ("vbaProject", PartKind::VbaProject),
    ("vbaProjectSignature", PartKind::VbaProjectSignature),
    ("wordVbaData", PartKind::VbaData),
    ("oleObject", PartKind::OleObject),
    ("package", PartKind::EmbeddedPackage),
    ("control", PartKind::ActiveX),
    ("activeXControlBinary", PartKind::ActiveXBinary),
    ("drawing", PartKind::Drawing),
    ("vmlDrawing", PartKind::VmlDrawing),
    ("chart", PartKind::Chart),
    ("chartUserShapes", PartKind::ChartUserShapes),
    ("chartStyle", PartKind::ChartStyle),
    ("chartColorStyle", PartKind::ChartColors),
    ("worksheet", PartKind::Worksheet),
    ("chartsheet", PartKind::Chartsheet),
    ("dialogsheet", PartKind::Dialogsheet),
    ("macrosheet", PartKind::Macrosheet),
    ("xlMacrosheet", PartKind::Macrosheet),
    ("xlIntlMacrosheet", PartKind::Macrosheet),
    ("sharedStrings", PartKind::SharedStrings),
    ("styles", PartKind::Styles),
    ("threadedComment", PartKind::ThreadedComments),
    ("person", PartKind::Persons),
    ("table", PartKind::Table),
    ("pivotTable", PartKind::PivotTable),
    ("pivotCacheDefinition", PartKind::PivotCacheDefinition),
    ("pivotCacheRecords", PartKind::PivotCacheRecords),
    ("queryTable", PartKind::QueryTable),
    ("connections", PartKind::Connections),
    ("externalLink", PartKind::ExternalLink),
    ("calcChain", PartKind::CalcChain),
    ("revisionHeaders", PartKind::RevisionHeaders),
    ("revisionLog", PartKind::RevisionLog),
    ("usernames", PartKind::UserNames),
    ("sheetMetadata", PartKind::SheetMetadata),
    ("volatileDependencies", PartKind::VolatileDependencies),
    ("model", PartKind::DataModel),
    ("powerPivotData", PartKind::DataModel),
    ("slicer", PartKind::Slicer),
    ("slicerCache", PartKind::SlicerCache),
    ("timeline", PartKind::Timeline),
    ("timelineCache", PartKind::TimelineCache),
    ("ctrlProp", PartKind::ControlProperties),
    ("customProperty", PartKind::SheetCustomProperty),
    ("tableSingleCells", PartKind::TableSingleCells),
    ("richValueRel", PartKind::RichData),
    ("classificationlabels", PartKind::ClassificationLabels),
    ("xmlMaps", PartKind::XmlMaps),
    ("glossaryDocument", PartKind::GlossaryDocument),
    ("numbering", PartKind::Numbering),
    ("stylesWithEffects", PartKind::StylesWithEffects),
    ("keyMapCustomizations", PartKind::WordCustomizations),
    ("attachedToolbars", PartKind::WordCustomizations),
    ("revisionInfo", PartKind::RevisionInfo),
    ("settings", PartKind::Settings),
    ("webSettings", PartKind::WebSettings),
    ("fontTable", PartKind::FontTable),
    ("header", PartKind::Header),
    ("footer", PartKind::Footer),
    ("footnotes", PartKind::Footnotes),
    ("endnotes", PartKind::Endnotes),
    ("commentsExtended", PartKind::CommentsExtended),
    ("commentsIds", PartKind::CommentsIds),
    ("commentsExtensible", PartKind::CommentsExtensible),
    ("people", PartKind::People),
    ("aFChunk", PartKind::AltChunk),
    ("diagramData", PartKind::DiagramData),
    ("diagramDrawing", PartKind::DiagramDrawing),
    ("diagramLayout", PartKind::Diagram),
    ("diagramQuickStyle", PartKind::Diagram),
    ("diagramColors", PartKind::Diagram),
    ("slide", PartKind::Slide),
    ("slideLayout", PartKind::SlideLayout),
    ("slideMaster", PartKind::SlideMaster),
    ("notesSlide", PartKind::NotesSlide),
    ("notesMaster", PartKind::NotesMaster),
    ("handoutMaster", PartKind::HandoutMaster),
    ("presProps", PartKind::PresentationProperties),
    ("viewProps", PartKind::ViewProperties),
    ("tableStyles", PartKind::TableStyles),
    ("commentAuthors", PartKind::CommentAuthors),
    ("authors", PartKind::Authors),
    ("tags", PartKind::Tags),
    ("digital-signature/signature", PartKind::DigitalSignature),
    ("signature", PartKind::DigitalSignature),
    ("origin", PartKind::DigitalSignatureOrigin),
];

/// The kind a content type names, if it names one.
pub fn kind_of_content_type(content_type: &str) -> Option<PartKind> {
    let ct = content_type.trim();
    CONTENT_TYPES
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(ct))
        .map(|(_, k)| *k)
}

/// The kind a relationship type names, if it names one. `comments` is the same type for
/// workbooks, documents and slides; the content type (or the source) tells them apart.
fn kind_of_rel(rel_kind: &str, source_kind: Option<PartKind>) -> Option<PartKind> {
    if rel_kind == "comments" {
        return Some(match source_kind {
            Some(PartKind::Document) | Some(PartKind::GlossaryDocument) => PartKind::WordComments,
            Some(PartKind::Slide) => PartKind::SlideComments,
            _ => PartKind::Comments,
        });
    }
    REL_TYPES
        .iter()
        .find(|(t, _)| *t == rel_kind)
        .map(|(_, k)| *k)
}

/// `[Content_Types].xml`: `Default` content types by extension, `Override` by part.
#[derive(Debug, Default)]
pub struct ContentTypes {
    defaults: HashMap<String, String>,
    overrides: HashMap<String, String>,
}

impl ContentTypes {
    fn parse(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<ContentTypes> {
        let part = "[Content_Types].xml";
        let mut xml = XmlReader::new(bytes, part);
        let mut out = ContentTypes::default();
        let mut count = 0usize;
        for_each_element(&mut xml, |e, _| {
            count += 1;
            if count > ctx.limits.max_entries.saturating_mul(4) {
                return Err(ScanError::new(format!(
                    "{part} lists more content types than four times {}",
                    ctx.limits.the_limit("max_entries")
                )));
            }
            match local(e) {
                "Default" => {
                    if let (Some(ext), Some(ct)) = (attr(e, "Extension"), attr(e, "ContentType")) {
                        out.defaults
                            .insert(ext.trim().to_ascii_lowercase(), ct.trim().to_string());
                    }
                }
                "Override" => {
                    if let (Some(name), Some(ct)) = (attr(e, "PartName"), attr(e, "ContentType")) {
                        out.overrides.insert(
                            normalise_part(&name).to_ascii_lowercase(),
                            ct.trim().to_string(),
                        );
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The content type of `part`: its `Override`, else the `Default` for its extension.
    pub fn of(&self, part: &str) -> &str {
        let lower = part.to_ascii_lowercase();
        if let Some(ct) = self.overrides.get(&lower) {
            return ct;
        }
        let file = lower.rsplit('/').next().unwrap_or(&lower);
        file.rsplit_once('.')
            .and_then(|(_, ext)| self.defaults.get(ext))
            .map(String::as_str)
            .unwrap_or("")
    }
}

fn normalise_part(name: &str) -> String {
    name.trim()
        .replace('\\', "/")
        .trim_start_matches('/')
        .to_string()
}

/// `xl/_rels/workbook.xml.rels` → `xl/workbook.xml`; `_rels/.rels` → `` (the root).
pub fn source_of(rels_part: &str) -> Option<String> {
    let (dir, file) = rels_part.rsplit_once('/').unwrap_or(("", rels_part));
    let dir = dir.strip_suffix("_rels")?.trim_end_matches('/');
    let file = file.strip_suffix(".rels")?;
    Some(if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    })
}

/// The `_rels` part that holds the relationships of `part` (`""` for the root).
pub fn rels_part_for(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// True for entries that zipping on a Mac adds: AppleDouble files under `__MACOSX/` and
/// Finder's `.DS_Store`. They are never package parts.
pub fn is_mac_residue(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("__macosx/")
        || lower.contains("/__macosx/")
        || lower == ".ds_store"
        || lower.ends_with("/.ds_store")
}

/// The relationship graph of a package from its root, and the kind of every part it reaches.
#[derive(Debug, Default)]
pub struct Graph {
    pub content_types: ContentTypes,
    /// Relationships of every reachable part, keyed by the lower-cased source (`""` root).
    rels: HashMap<String, Vec<Rel>>,
    /// Kind of every part the graph reaches, keyed by the lower-cased part name, with the
    /// part's name as the package spells it.
    kinds: HashMap<String, (String, PartKind)>,
    /// Reachable parts in the order the graph reached them (stable for reports).
    order: Vec<String>,
    /// The main part (`officeDocument` relationship of the root).
    pub main: Option<String>,
    /// False when a relationship part could not be read: some parts may look orphaned.
    pub complete: bool,
}

impl Graph {
    /// Relationships whose source is `part` (`""` for the package root).
    pub fn rels_of(&self, part: &str) -> &[Rel] {
        self.rels
            .get(&part.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first internal target of `part` with relationship type `kind`.
    pub fn target(&self, part: &str, kind: &str) -> Option<String> {
        self.rels_of(part)
            .iter()
            .find(|r| r.kind == kind && !r.external)
            .map(|r| r.target.clone())
    }

    /// The kind of a part the graph reaches; `None` for a part nothing refers to.
    pub fn kind(&self, part: &str) -> Option<PartKind> {
        self.kinds.get(&part.to_ascii_lowercase()).map(|(_, k)| *k)
    }

    /// Reachable parts of `kind`, in the order the graph reached them.
    pub fn parts(&self, kind: PartKind) -> Vec<String> {
        self.order
            .iter()
            .filter_map(|p| self.kinds.get(p))
            .filter(|(_, k)| *k == kind)
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Every reachable part with its kind, in graph order.
    pub fn reachable(&self) -> Vec<(String, PartKind)> {
        self.order
            .iter()
            .filter_map(|p| self.kinds.get(p))
            .cloned()
            .collect()
    }

    /// True for the root and for parts the graph reaches (lower-cased name).
    fn reaches(&self, lower: &str) -> bool {
        lower.is_empty() || self.kinds.contains_key(lower)
    }
}

/// An opened OPC package: the zip, the relationship graph with the kind of every part it
/// reaches, and the ledger of what became of each part. The three are separate fields so
/// an inspector can read parts (`zip`) while it consults the graph.
pub struct Opc<'a> {
    pub zip: Package<'a>,
    pub graph: Graph,
    pub ledger: Ledger,
}

impl<'a> Opc<'a> {
    /// Opens a package and walks its relationship graph from `_rels/.rels`.
    pub fn open(bytes: &'a [u8], ctx: &mut Ctx<'_>) -> ScanResult<Self> {
        let mut zip = Package::open(bytes, ctx)?;
        let names: Vec<String> = zip.names().to_vec();
        let mut ledger = Ledger::new(&names);
        for name in names.iter().filter(|n| is_mac_residue(n)) {
            ledger.mark(name, PartState::MacResidue);
        }
        let mut content_types = ContentTypes::default();
        if zip.has("[Content_Types].xml") {
            let parsed = ctx.guard("[Content_Types].xml", |ctx| {
                let bytes = zip.read("[Content_Types].xml", ctx)?.unwrap_or_default();
                ContentTypes::parse(&bytes, ctx)
            })?;
            let state = match parsed {
                Some(ct) => {
                    content_types = ct;
                    PartState::Inspected
                }
                None => PartState::Unreadable,
            };
            ledger.mark("[Content_Types].xml", state);
        }
        let mut opc = Opc {
            zip,
            graph: Graph {
                content_types,
                complete: true,
                ..Graph::default()
            },
            ledger,
        };
        opc.walk(ctx)?;
        if !opc.graph.complete {
            opc.place_by_content_type();
        }
        Ok(opc)
    }

    /// When a relationship part could not be read (the file is `unscannable` already), the
    /// parts it would have reached are placed by their declared content types, so their
    /// content is still inspected and reported rather than lost.
    fn place_by_content_type(&mut self) {
        let names: Vec<String> = self.zip.names().to_vec();
        for name in names {
            let lower = name.to_ascii_lowercase();
            if self.graph.kinds.contains_key(&lower) || is_mac_residue(&name) {
                continue;
            }
            let Some(kind) = kind_of_content_type(self.graph.content_types.of(&name)) else {
                continue;
            };
            if self.graph.main.is_none()
                && matches!(
                    kind,
                    PartKind::Workbook | PartKind::Document | PartKind::Presentation
                )
            {
                self.graph.main = Some(name.clone());
            }
            self.graph.order.push(lower.clone());
            self.graph.kinds.insert(lower, (name, kind));
        }
    }

    /// Breadth-first over the relationship graph from the root. Each part's relationships
    /// are read once; a part reached twice keeps its first kind.
    fn walk(&mut self, ctx: &mut Ctx<'_>) -> ScanResult<()> {
        let mut queue: VecDeque<(String, Option<PartKind>)> = VecDeque::new();
        let mut seen: HashSet<String> = HashSet::new();
        queue.push_back((String::new(), None));
        seen.insert(String::new());
        while let Some((source, source_kind)) = queue.pop_front() {
            ctx.check_time()?;
            let rels = self.read_rels(&source, ctx)?;
            for rel in &rels {
                if rel.external || rel.target.is_empty() {
                    continue;
                }
                if source.is_empty() && rel.kind == "officeDocument" && self.graph.main.is_none() {
                    self.graph.main = Some(rel.target.clone());
                }
                let lower = rel.target.to_ascii_lowercase();
                if !seen.insert(lower.clone()) {
                    continue;
                }
                let content_type = self.graph.content_types.of(&rel.target).to_string();
                // A specific content type decides; a generic one (`application/xml`,
                // `image/png`) or one of an embedded file's own format leaves it to the
                // relationship.
                let kind = kind_of_content_type(&content_type)
                    .or_else(|| kind_of_rel(&rel.kind, source_kind))
                    .unwrap_or(PartKind::Unknown);
                let name = self
                    .zip
                    .names()
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(&rel.target))
                    .cloned()
                    .unwrap_or_else(|| rel.target.clone());
                self.graph.order.push(lower.clone());
                self.graph.kinds.insert(lower, (name.clone(), kind));
                queue.push_back((name, Some(kind)));
            }
            self.graph.rels.insert(source.to_ascii_lowercase(), rels);
        }
        Ok(())
    }

    /// Reads the relationships of `source`, if it has any. An unreadable relationship part
    /// is `unscannable`, and the graph is marked incomplete.
    fn read_rels(&mut self, source: &str, ctx: &mut Ctx<'_>) -> ScanResult<Vec<Rel>> {
        let rels_part = rels_part_for(source);
        if !self.zip.has(&rels_part) {
            return Ok(Vec::new());
        }
        let zip = &mut self.zip;
        match ctx.guard(&rels_part, |ctx| {
            read_rels_part(zip, &rels_part, source, ctx)
        })? {
            Some(rels) => {
                self.ledger.mark(&rels_part, PartState::Inspected);
                Ok(rels)
            }
            None => {
                self.ledger.mark(&rels_part, PartState::Unreadable);
                self.graph.complete = false;
                Ok(Vec::new())
            }
        }
    }

    /// Marks a part as read by an inspector.
    pub fn inspected(&mut self, part: &str) {
        self.ledger.mark(part, PartState::Inspected);
    }

    /// Entries of the zip that no relationship reaches, other than package plumbing
    /// (`[Content_Types].xml`, relationship parts of reachable parts) and Mac residue.
    pub fn orphans(&self) -> Vec<String> {
        self.zip
            .names()
            .iter()
            .filter(|n| {
                let lower = n.to_ascii_lowercase();
                let plumbing = lower == "[content_types].xml"
                    || (lower.ends_with(".rels")
                        && source_of(&lower).is_some_and(|s| self.graph.reaches(&s)));
                !n.ends_with('/') && !is_mac_residue(n) && !plumbing && !self.graph.reaches(&lower)
            })
            .cloned()
            .collect()
    }
}

fn read_rels_part(
    zip: &mut Package<'_>,
    rels_part: &str,
    source: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Vec<Rel>> {
    let Some(reader) = zip.reader(rels_part, ctx)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(reader, rels_part);
    let mut out = Vec::new();
    for_each_element(&mut xml, |e, _| {
        if local(e) == "Relationship" {
            if out.len() >= ctx.limits.max_entries {
                return Err(ScanError::new(format!(
                    "{rels_part} holds more relationships than {}",
                    ctx.limits.the_limit("max_entries")
                )));
            }
            let external =
                attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            let raw_target = attr(e, "Target").unwrap_or_default();
            let target = if external {
                raw_target.to_string()
            } else {
                // A target may carry a fragment (`sheet1.xml#A1`); the part is before it.
                let path = raw_target.split('#').next().unwrap_or_default();
                resolve_target(source, &percent_decode(path))
            };
            out.push(Rel {
                id: attr(e, "Id").unwrap_or_default().to_string(),
                kind: attr(e, "Type")
                    .map(|t| t.trim().rsplit('/').next().unwrap_or_default().to_string())
                    .unwrap_or_default(),
                target,
                external,
            });
        }
        Ok(())
    })?;
    Ok(out)
}

/// Part names in relationship targets are URIs: `%20` is a space.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(h);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What sniffing learns of a package's main part without inspecting it.
pub struct MainPart {
    pub content_type: String,
    pub kind: Option<PartKind>,
    /// The main part has a VBA project (a macro-enabled file saved under another type).
    pub has_vba: bool,
}

/// Most bytes sniffing reads of one plumbing part.
const SNIFF_CAP: u64 = 1 << 20;

/// Finds the main part the way [`Opc::open`] does (the root's `officeDocument`
/// relationship and its content type), cheaply and without a [`Ctx`]: for `formats::sniff`.
pub fn sniff_main<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Option<MainPart> {
    let read = |archive: &mut zip::ZipArchive<R>, name: &str| -> Option<Vec<u8>> {
        use std::io::Read;
        let index = archive
            .file_names()
            .position(|n| n.is_ok_and(|n| normalise_part(&n).eq_ignore_ascii_case(name)))?;
        let file = archive.by_index(index).ok()?;
        let mut out = Vec::new();
        file.take(SNIFF_CAP).read_to_end(&mut out).ok()?;
        Some(out)
    };
    let rels_of = |bytes: &[u8], source: &str| -> Vec<(String, String)> {
        let mut xml = XmlReader::new(bytes, "_rels");
        let mut out = Vec::new();
        let _ = for_each_element(&mut xml, |e, _| {
            if local(e) == "Relationship"
                && !attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"))
            {
                let kind = attr(e, "Type")
                    .map(|t| t.trim().rsplit('/').next().unwrap_or_default().to_string())
                    .unwrap_or_default();
                let target = attr(e, "Target").unwrap_or_default();
                let path = target.split('#').next().unwrap_or_default();
                out.push((kind, resolve_target(source, &percent_decode(path))));
            }
            Ok(())
        });
        out
    };
    let root = read(archive, "_rels/.rels")?;
    let main = rels_of(&root, "")
        .into_iter()
        .find(|(kind, _)| kind == "officeDocument")?
        .1;
    let content_types = read(archive, "[Content_Types].xml")
        .map(|b| {
            let mut xml = XmlReader::new(&b[..], "[Content_Types].xml");
            let mut ct = ContentTypes::default();
            let _ = for_each_element(&mut xml, |e, _| {
                match local(e) {
                    "Default" => {
                        if let (Some(ext), Some(t)) = (attr(e, "Extension"), attr(e, "ContentType"))
                        {
                            ct.defaults
                                .insert(ext.trim().to_ascii_lowercase(), t.trim().to_string());
                        }
                    }
                    "Override" => {
                        if let (Some(n), Some(t)) = (attr(e, "PartName"), attr(e, "ContentType")) {
                            ct.overrides.insert(
                                normalise_part(&n).to_ascii_lowercase(),
                                t.trim().to_string(),
                            );
                        }
                    }
                    _ => {}
                }
                Ok(())
            });
            ct
        })
        .unwrap_or_default();
    let content_type = content_types.of(&main).to_string();
    let has_vba = read(archive, &rels_part_for(&main))
        .map(|b| rels_of(&b, &main).iter().any(|(k, _)| k == "vbaProject"))
        .unwrap_or(false);
    Some(MainPart {
        kind: kind_of_content_type(&content_type),
        content_type,
        has_vba,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rels_parts_map_to_their_source() {
        assert_eq!(source_of("_rels/.rels").as_deref(), Some(""));
        assert_eq!(
            source_of("xl/_rels/workbook.xml.rels").as_deref(),
            Some("xl/workbook.xml")
        );
        assert_eq!(
            source_of("xl/worksheets/_rels/sheet1.xml.rels").as_deref(),
            Some("xl/worksheets/sheet1.xml")
        );
        assert_eq!(source_of("xl/worksheets/sheet1.xml.rels"), None);
        assert_eq!(rels_part_for(""), "_rels/.rels");
        assert_eq!(
            rels_part_for("xl/workbook.xml"),
            "xl/_rels/workbook.xml.rels"
        );
    }

    #[test]
    fn kinds_come_from_content_types_then_relationships() {
        assert_eq!(
            kind_of_content_type(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
            ),
            Some(PartKind::Comments)
        );
        assert_eq!(kind_of_content_type("application/xml"), None);
        assert_eq!(
            kind_of_rel("comments", Some(PartKind::Document)),
            Some(PartKind::WordComments)
        );
        assert_eq!(
            kind_of_rel("comments", Some(PartKind::Worksheet)),
            Some(PartKind::Comments)
        );
        assert_eq!(kind_of_rel("customXml", None), Some(PartKind::CustomXml));
    }

    #[test]
    fn mac_residue_is_recognised() {
        assert!(is_mac_residue("__MACOSX/_rels/._.rels"));
        assert!(is_mac_residue("__MACOSX/xl/._workbook.xml"));
        assert!(is_mac_residue(".DS_Store"));
        assert!(is_mac_residue("xl/.DS_Store"));
        assert!(!is_mac_residue("xl/workbook.xml"));
    }

    #[test]
    fn percent_encoded_targets_decode() {
        assert_eq!(percent_decode("my%20sheet.xml"), "my sheet.xml");
        assert_eq!(percent_decode("100%.xml"), "100%.xml");
    }
}
